export * from './descriptors';
export * from './gcp-auth';
export * from './gcp.format';
export * from './outputs';
