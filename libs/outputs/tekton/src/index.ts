export * from './tekton.descriptor';
