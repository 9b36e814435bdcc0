/**
 * Software WebGL is recognised from the renderer strings browsers report (renderer/map/software-gl.ts),
 * so the map goes on its CPU budget there and only there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { softwareGl } from '../../renderer/map/software-gl.js';

describe('software WebGL detection', () => {
  it('names the CPU renderers', () => {
    // as Chromium reports them (the first from this machine's headless windows)
    assert.equal(softwareGl('Google Inc. (Google)', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'), 'swiftshader');
    assert.equal(softwareGl('Google Inc. (Mesa)', 'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)'), 'llvmpipe');
    assert.equal(softwareGl('Mesa', 'softpipe'), 'softpipe');
    assert.equal(softwareGl('Google Inc. (Microsoft)', 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)'), 'microsoft-basic-render');
  });
  it('leaves GPUs alone', () => {
    assert.equal(softwareGl('Google Inc. (Intel)', 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)'), null);
    assert.equal(softwareGl('Google Inc. (NVIDIA)', 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060/PCIe/SSE2, OpenGL 4.5.0)'), null);
    assert.equal(softwareGl('Google Inc. (AMD)', 'ANGLE (AMD, AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6), OpenGL 4.6)'), null, 'a radeonsi driver built with LLVM is no llvmpipe');
  });
});
