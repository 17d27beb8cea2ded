export * from './output-set';
export * from './registry';
export * from './catalog';
export * from './falcosidekick-outputs';
export { compileDrop, compileFilter, TEST_RULE } from '@falconer/routing';
