export * from './teams.descriptor';
export * from './teams.format';
