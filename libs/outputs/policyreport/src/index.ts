export * from './policyreport.descriptor';
export * from './policyreport.format';
export * from './policyreport.output';
