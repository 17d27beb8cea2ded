export * from './contract';
export * from './sample-events';
export * from './outage';
export * from './attachment-spec';
export * from './service-proxy-contract';
export * from './basic-auth-contract';
