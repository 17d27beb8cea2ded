export * from './zincsearch.descriptor';
