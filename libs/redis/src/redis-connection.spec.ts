import { describe, expect, it } from 'vitest';
import { keyPrefix, redisUrlProblems } from './redis-connection';

// The cluster client itself is tested against a real 3-master cluster in e2e/src/scale/redis-cluster.spec.ts.

describe('keyPrefix', () => {
  it('adds a hash tag in a cluster only', () => {
    expect(keyPrefix('falconer:h:', false)).toBe('falconer:h:');
    expect(keyPrefix('falconer:h:', true)).toBe('{falconer:h}:');
    expect(keyPrefix('falconer', true)).toBe('{falconer}');
    expect(keyPrefix('t-123:', true)).toBe('{t-123}:');
    // a prefix that already has one keeps it
    expect(keyPrefix('app:{x}:', true)).toBe('app:{x}:');
  });
});

describe('redisUrlProblems', () => {
  it('accepts one URL, or several seed URLs in a cluster', () => {
    expect(redisUrlProblems('', false)).toEqual([]);
    expect(redisUrlProblems('redis://r:6379/2', false)).toEqual([]);
    expect(redisUrlProblems('rediss://:pw@a:7000, redis://b:7000', true)).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(redisUrlProblems('http://r', false)).toEqual([
      'redis.url: expected redis://host:port[/db], got "http://r"',
    ]);
    expect(redisUrlProblems('redis://a:1,redis://b:1', false)).toEqual([
      'redis.url: several URLs need redis.cluster: true',
    ]);
    expect(redisUrlProblems('redis://a:1/4', true)).toEqual([
      'redis.url: a Redis Cluster has only database 0',
    ]);
    expect(redisUrlProblems('', true)).toEqual(['redis.cluster: needs seed nodes in redis.url']);
  });
});
