export * from './output-set';
export * from './registry';
export * from './catalog';
export * from './falcosidekick-outputs';
