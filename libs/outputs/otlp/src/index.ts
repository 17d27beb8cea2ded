export * from './otlp.descriptor';
export * from './otlp.format';
export * from './otlp.output';
