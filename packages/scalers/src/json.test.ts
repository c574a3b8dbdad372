import { describe, expect, it } from 'vitest';
import { ScalerArgumentError } from './errors';
import { decodeArray, decodeNumber, encodeArray, encodeNumber, readEnvelope } from './json';

describe('JSON number encoding', () => {
  it('keeps finite numbers and spells out what JSON cannot hold', () => {
    expect([1.5, Number.NaN, Infinity, -Infinity, -0, 0].map(encodeNumber)).toEqual([
      1.5,
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      0,
    ]);
  });

  it('round-trips every float64 bit pattern class through JSON text', () => {
    const values = Float64Array.of(0.1, -0, 0, 5e-324, 1.7976931348623157e308, Number.NaN, -Infinity, 1 / 3);
    const back = decodeArray(JSON.parse(JSON.stringify(encodeArray(values))), 'v', values.length);
    for (let i = 0; i < values.length; i++) expect(Object.is(back[i], values[i])).toBe(true);
  });

  it('rejects anything else, naming where', () => {
    expect(() => decodeNumber('nan', 'json.state.mean[2]')).toThrow(
      'json.state.mean[2]: expected a number or one of "NaN", "Infinity", "-Infinity", "-0", found "nan"',
    );
    expect(() => decodeNumber(null, 'x')).toThrow(ScalerArgumentError);
    expect(() => decodeArray([1, 2], 'json.state.scale', 3)).toThrow(
      'json.state.scale: expected an array of 3 numbers, found [1, 2]',
    );
  });

  it('checks the envelope: type tag, version, and a state object or null', () => {
    expect(readEnvelope({ type: 'X', version: 1, options: {}, state: null }, 'X').state).toBeNull();
    expect(readEnvelope('{"type":"X","version":1,"options":{},"state":{}}', 'X').state).toEqual({});
    expect(() => readEnvelope({ type: 'Y', version: 1, state: null }, 'X')).toThrow(
      'X.fromJSON: json.type: expected "X", found "Y"',
    );
    expect(() => readEnvelope({ type: 'X', version: 2, state: null }, 'X')).toThrow(
      'json.version: expected 1',
    );
    expect(() => readEnvelope('{oops', 'X')).toThrow('X.fromJSON: json: expected an object or a JSON string');
    expect(() => readEnvelope([1], 'X')).toThrow('expected an object from X.toJSON()');
  });
});
