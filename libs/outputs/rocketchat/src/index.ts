export * from './rocketchat.descriptor';
export * from './rocketchat.format';
