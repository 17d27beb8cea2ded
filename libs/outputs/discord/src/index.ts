export * from './discord.descriptor';
export * from './discord.format';
