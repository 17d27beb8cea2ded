export * from './services';
export * from './receiver';
export * from './fixtures';
export * from './alertmanager';
export * from './kube-objects';
export * from './random';
