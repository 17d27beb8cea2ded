export * from './eventhub';
