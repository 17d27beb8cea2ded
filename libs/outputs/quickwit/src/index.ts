export * from './quickwit.descriptor';
export * from './quickwit.format';
