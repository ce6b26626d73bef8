// Float32 subnormals (magnitude below 2^-126, about 1.2e-38) cost a microcode assist of ~100 cycles per
// operation on Intel cores, and WebAssembly cannot set the flush-to-zero / denormals-are-zero modes
// that XLA sets on CPU. Once the training loss nears zero, l'(y f) underflows and so do the GD
// coefficients handed to the float32 SIMD kernel. They are flushed to zero here, well above the
// subnormal range, so that neither they nor their products with the data (entries far above 1e-8)
// are ever subnormal. A flushed coefficient moves a float32 pre-activation by less than
// 1e-30 * max|data entry| per step (under 1e-25 over the default 1000 steps), far below half an ulp
// of any pre-activation that reaches an output; the boundary table and the float64 transition check
// show the outcomes unchanged.
export const FLUSH_BELOW = 1e-30;

/** x, or 0 when |x| < FLUSH_BELOW. */
export function flushTiny(x: number): number {
  return x < FLUSH_BELOW && x > -FLUSH_BELOW ? 0 : x;
}
