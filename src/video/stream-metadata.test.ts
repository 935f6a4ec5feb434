import { describe, expect, it } from 'vitest';
import { isVariableFrameRate, parseRational } from './frame-rate.js';
import { displaySize, normaliseQuarterTurn, streamRotation } from './rotation.js';

describe('parseRational', () => {
  it('reads ffprobe rates and rejects unknown ones', () => {
    expect(parseRational('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRational('25')).toBe(25);
    expect(parseRational('0/0')).toBeUndefined();
    expect(parseRational(undefined)).toBeUndefined();
  });

  it('calls a stream VFR only when the rates really differ', () => {
    expect(isVariableFrameRate(30, 134144 / 4533)).toBe(true);
    expect(isVariableFrameRate(30000 / 1001, 2997 / 100)).toBe(false);
    expect(isVariableFrameRate(undefined, 25)).toBe(false);
  });
});

describe('streamRotation', () => {
  it('turns the display matrix (counter-clockwise) into clockwise degrees', () => {
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })).toBe(90);
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] })).toBe(270);
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })).toBe(180);
  });

  it('reads the legacy rotate tag as clockwise, and prefers the matrix', () => {
    expect(streamRotation({ tags: { rotate: '90' } })).toBe(90);
    expect(streamRotation({ tags: { rotate: '-90' } })).toBe(270);
    expect(streamRotation({ tags: { rotate: '90' }, side_data_list: [{ side_data_type: 'Display Matrix', rotation: 0 }] })).toBe(0);
    expect(streamRotation({})).toBe(0);
  });

  it('rounds to quarter turns and swaps the size for 90 and 270', () => {
    expect(normaliseQuarterTurn(-89.9)).toBe(270);
    expect(displaySize(1920, 1080, 90)).toEqual({ width: 1080, height: 1920 });
    expect(displaySize(1920, 1080, 180)).toEqual({ width: 1920, height: 1080 });
  });
});
