export * from './silence-request';
export * from './silence-backend';
export * from './silences';
