export * from './pagerduty.descriptor';
export * from './pagerduty.format';
export * from './pagerduty.output';
