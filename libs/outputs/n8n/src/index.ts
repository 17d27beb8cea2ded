export * from './n8n.descriptor';
