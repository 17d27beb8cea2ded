// The local S3 and Kinesis servers the specs start ship no types; the specs type what they use.
declare module 's3rver';
declare module 'kinesalite';
