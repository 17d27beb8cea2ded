export * from './aws-client';
export * from './aws.format';
export * from './descriptors';
export * from './outputs';
