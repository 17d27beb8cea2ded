export * from './contract';
export * from './sample-events';
