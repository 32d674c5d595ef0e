import { describe, expect, it } from 'vitest';
import { ParseError, readJsonl, readPorcupineEtcd, readPorcupineKv, writeJsonl } from './index.ts';

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('readJsonl', () => {
  it('reads events in order, with line index as time, optional key, null value default', () => {
    const text = [
      '{"process":0,"type":"invoke","f":"write","key":"x","value":3}',
      '',
      '{"process":1,"type":"invoke","f":"read"}',
      '{"process":0,"type":"ok","f":"write","key":"x","value":3}',
      '{"process":1,"type":"ok","f":"read","value":3}',
    ].join('\n');
    const ev = readJsonl(text);
    expect(ev).toHaveLength(4);
    expect(ev[0]).toEqual({ process: 0, type: 'invoke', f: 'write', key: 'x', value: 3, time: 0 });
    expect(ev[1]).toEqual({ process: 1, type: 'invoke', f: 'read', value: null, time: 1 });
    expect(ev[3]!.time).toBe(3);
  });

  it('keeps explicit times and node, and round-trips through writeJsonl', () => {
    const text = '{"process":0,"type":"invoke","f":"cas","value":[1,2],"time":5,"node":"c1"}\n{"process":0,"type":"info","f":"cas","time":9}\n';
    const ev = readJsonl(text);
    expect(ev[0]).toMatchObject({ time: 5, node: 'c1', value: [1, 2] });
    expect(readJsonl(writeJsonl(ev))).toEqual(ev);
  });

  it.each([
    ['{"process":0,"type":"invoke","f":"read"', 1, 'not valid JSON'],
    ['[1]', 1, 'expected a JSON object'],
    ['{"process":-1,"type":"invoke","f":"read"}', 1, 'process'],
    ['{"process":0,"type":"begin","f":"read"}', 1, 'type'],
    ['{"process":0,"type":"invoke","f":""}', 1, '"f"'],
    ['{"process":0,"type":"invoke","f":"read","key":3}', 1, '"key"'],
    ['{"process":0,"type":"ok","f":"read"}', 1, 'nothing pending'],
    ['{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"invoke","f":"write","value":1}', 2, 'still pending'],
    ['{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"ok","f":"write","value":1}', 2, 'pending operation is read'],
    ['{"process":0,"type":"invoke","f":"read","time":5}\n{"process":0,"type":"ok","f":"read","time":4}', 2, 'earlier'],
  ])('rejects %j at line %i', (text, line, reason) => {
    const err = parseErrorOf(() => readJsonl(text));
    expect(err.line).toBe(line);
    expect(err.message).toContain(reason);
  });
});

describe('readPorcupineEtcd', () => {
  it('maps lines the way Porcupine reads them', () => {
    const text = [
      'INFO  jepsen.util - 4\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 4\t:ok\t:read\tnil',
      'INFO  jepsen.util - 1   :invoke :cas    [1 2]',
      'INFO  jepsen.util - 1   :fail   :cas    [1 2]',
      'INFO  jepsen.util - 2\t:invoke\t:write\t3',
      'INFO  jepsen.util - 2\t:info\t:write\t:timed-out',
      'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 3\t:fail\t:read\t:timed-out',
      'INFO  jepsen.util - 3\t:invoke\t:cas\t[0 4]',
      'INFO  jepsen.util - 3\t:ok\t:cas\t[0 4]',
      '',
    ].join('\n');
    const ev = readPorcupineEtcd(text);
    expect(ev.map((e) => [e.process, e.type, e.f, e.value])).toEqual([
      [4, 'invoke', 'read', null],
      [4, 'ok', 'read', null],
      [1, 'invoke', 'cas', [1, 2]],
      [1, 'ok', 'cas', false], // a failed cas happened and saw another value
      [2, 'invoke', 'write', 3],
      [2, 'info', 'write', null],
      [3, 'invoke', 'read', null],
      [3, 'info', 'read', null], // timed-out read: unknown output
      [3, 'invoke', 'cas', [0, 4]],
      [3, 'ok', 'cas', true],
    ]);
    expect(ev.map((e) => e.time)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each([
    ['WARN x', 1],
    ['INFO  jepsen.util - 1\t:invoke\t:delete\t1', 1],
    ['INFO  jepsen.util - 1\t:invoke\t:write\tfoo', 1],
    ['INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:write\t2', 2],
    ['INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:fail\t:write\t1', 2],
  ])('rejects %j at line %i', (text, line) => {
    expect(parseErrorOf(() => readPorcupineEtcd(text)).line).toBe(line);
  });
});

describe('readPorcupineKv', () => {
  it('reads get / put / append lines', () => {
    const text = '{:process 0, :type :invoke, :f :get, :key "7", :value nil}\n{:process 0, :type :ok, :f :get, :key "7", :value ""}\n';
    expect(readPorcupineKv(text)).toEqual([
      { process: 0, type: 'invoke', f: 'get', key: '7', value: null, time: 0 },
      { process: 0, type: 'ok', f: 'get', key: '7', value: '', time: 1 },
    ]);
  });
  it('names the malformed line', () => {
    const text = '{:process 0, :type :invoke, :f :get, :key "7", :value nil}\n{:process 0, :type :ok, :f :get, :key 7, :value ""}';
    expect(parseErrorOf(() => readPorcupineKv(text)).line).toBe(2);
  });
});
