export * from './webex.descriptor';
export * from './webex.format';
