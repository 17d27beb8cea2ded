export * from './webui.config';
export * from './webui.descriptor';
export * from './webui.format';
export * from './webui.output';
