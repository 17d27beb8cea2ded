export * from './openfaas.descriptor';
