export * from './mattermost.descriptor';
export * from './mattermost.format';
