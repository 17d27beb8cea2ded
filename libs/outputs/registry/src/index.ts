export * from './output-set';
export * from './registry';
export { compileDrop, compileFilter, TEST_RULE } from '@falconer/routing';
