export * from './nodered.descriptor';
