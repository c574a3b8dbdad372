import { describe, expect, it } from 'vitest';
import { classifyGpu } from './software-gpu';

describe('classifyGpu', () => {
  it("calls Chromium's SwiftShader WebGPU adapter software (flag and name)", () => {
    expect(classifyGpu({ isFallbackAdapter: true }).kind).toBe('software');
    expect(classifyGpu({ vendor: 'google', architecture: 'swiftshader' })).toEqual({
      kind: 'software',
      name: 'google swiftshader',
    });
  });

  it('calls software WebGL renderers software', () => {
    const angle =
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(classifyGpu({ renderer: angle }).kind).toBe('software');
    expect(classifyGpu({ renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).kind).toBe('software');
    expect(
      classifyGpu({ renderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11)' }).kind,
    ).toBe('software');
  });

  it('calls a named chip hardware', () => {
    expect(classifyGpu({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false }).kind).toBe(
      'hardware',
    );
    expect(
      classifyGpu({ renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)' }).kind,
    ).toBe('hardware');
  });

  it('says unknown when the browser hides the details', () => {
    expect(classifyGpu({}).kind).toBe('unknown');
    expect(classifyGpu({ vendor: 'apple', architecture: '', description: '' })).toEqual({
      kind: 'unknown',
      name: 'apple',
    });
    expect(classifyGpu({ renderer: 'WebKit WebGL' }).kind).toBe('unknown');
  });
});
