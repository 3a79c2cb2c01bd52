/**
 * Forward and backward passes of the layer kinds mnistTiny uses, on batched
 * NHWC tensors (x[b][h][w][c], last index fastest) in Float64Array, with the
 * weight layouts of src/model/network.ts:
 *   conv2d     w [outC][k][k][inC]     (pointwise: k = 1, stride 1, no padding)
 *   depthwise  w [k][k][C]
 *   dense      w [outF][inF], bias [outF]
 * Every function writes into caller-owned buffers: no allocation in the inner
 * loops. Backward functions OVERWRITE their gradient outputs (dx, dw, ...).
 * Average pooling is global (the only pooling mnistTiny has).
 */

export interface ConvGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
}

export function convGeometry(inH: number, inW: number, inC: number, outC: number, k: number, stride: number, pad: number): ConvGeometry {
  const outH = Math.floor((inH + 2 * pad - k) / stride) + 1;
  const outW = Math.floor((inW + 2 * pad - k) / stride) + 1;
  return { inH, inW, inC, outH, outW, outC, k, stride, pad };
}

// ---------------------------------------------------------------- conv2d

export function conv2dForward(x: Float64Array, w: Float64Array, y: Float64Array, g: ConvGeometry, batch: number): void {
  const { inH, inW, inC, outH, outW, outC, k, stride, pad } = g;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yo = ((b * outH + oy) * outW + ox) * outC;
        for (let oc = 0; oc < outC; oc++) {
          let s = 0;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              const wb = ((oc * k + ky) * k + kx) * inC;
              const xo = xb + (iy * inW + ix) * inC;
              for (let ic = 0; ic < inC; ic++) s += w[wb + ic]! * x[xo + ic]!;
            }
          }
          y[yo + oc] = s;
        }
      }
    }
  }
}

/** dw = dL/dw; dx = dL/dx (skipped when null: the first layer). */
export function conv2dBackward(x: Float64Array, w: Float64Array, dy: Float64Array, dx: Float64Array | null, dw: Float64Array, g: ConvGeometry, batch: number): void {
  const { inH, inW, inC, outH, outW, outC, k, stride, pad } = g;
  dw.fill(0);
  if (dx) dx.fill(0, 0, batch * inH * inW * inC);
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yo = ((b * outH + oy) * outW + ox) * outC;
        for (let oc = 0; oc < outC; oc++) {
          const gy = dy[yo + oc]!;
          if (gy === 0) continue;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * stride - pad + kx;
              if (ix < 0 || ix >= inW) continue;
              const wb = ((oc * k + ky) * k + kx) * inC;
              const xo = xb + (iy * inW + ix) * inC;
              for (let ic = 0; ic < inC; ic++) {
                dw[wb + ic] = dw[wb + ic]! + gy * x[xo + ic]!;
                if (dx) dx[xo + ic] = dx[xo + ic]! + gy * w[wb + ic]!;
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- pointwise (1x1 conv2d, stride 1)

/** `pixels` = batch * H * W. */
export function pointwiseForward(x: Float64Array, w: Float64Array, y: Float64Array, inC: number, outC: number, pixels: number): void {
  for (let p = 0; p < pixels; p++) {
    const xo = p * inC;
    const yo = p * outC;
    for (let oc = 0; oc < outC; oc++) {
      const wb = oc * inC;
      let s = 0;
      for (let ic = 0; ic < inC; ic++) s += w[wb + ic]! * x[xo + ic]!;
      y[yo + oc] = s;
    }
  }
}

export function pointwiseBackward(x: Float64Array, w: Float64Array, dy: Float64Array, dx: Float64Array | null, dw: Float64Array, inC: number, outC: number, pixels: number): void {
  dw.fill(0);
  if (dx) dx.fill(0, 0, pixels * inC);
  for (let p = 0; p < pixels; p++) {
    const xo = p * inC;
    const yo = p * outC;
    for (let oc = 0; oc < outC; oc++) {
      const gy = dy[yo + oc]!;
      if (gy === 0) continue;
      const wb = oc * inC;
      for (let ic = 0; ic < inC; ic++) {
        dw[wb + ic] = dw[wb + ic]! + gy * x[xo + ic]!;
        if (dx) dx[xo + ic] = dx[xo + ic]! + gy * w[wb + ic]!;
      }
    }
  }
}

// ---------------------------------------------------------------- depthwise (channel multiplier 1; g.outC = g.inC)

export function depthwiseForward(x: Float64Array, w: Float64Array, y: Float64Array, g: ConvGeometry, batch: number): void {
  const { inH, inW, inC: c, outH, outW, k, stride, pad } = g;
  y.fill(0, 0, batch * outH * outW * c);
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * c;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yo = ((b * outH + oy) * outW + ox) * c;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * stride - pad + kx;
            if (ix < 0 || ix >= inW) continue;
            const wb = (ky * k + kx) * c;
            const xo = xb + (iy * inW + ix) * c;
            for (let ch = 0; ch < c; ch++) y[yo + ch] = y[yo + ch]! + w[wb + ch]! * x[xo + ch]!;
          }
        }
      }
    }
  }
}

export function depthwiseBackward(x: Float64Array, w: Float64Array, dy: Float64Array, dx: Float64Array | null, dw: Float64Array, g: ConvGeometry, batch: number): void {
  const { inH, inW, inC: c, outH, outW, k, stride, pad } = g;
  dw.fill(0);
  if (dx) dx.fill(0, 0, batch * inH * inW * c);
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * c;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yo = ((b * outH + oy) * outW + ox) * c;
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * stride - pad + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * stride - pad + kx;
            if (ix < 0 || ix >= inW) continue;
            const wb = (ky * k + kx) * c;
            const xo = xb + (iy * inW + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const gy = dy[yo + ch]!;
              dw[wb + ch] = dw[wb + ch]! + gy * x[xo + ch]!;
              if (dx) dx[xo + ch] = dx[xo + ch]! + gy * w[wb + ch]!;
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- batch norm (per channel over batch * H * W)

/**
 * Training mode: normalise with the batch's statistics (biased variance),
 * write xhat (for backward) and the batch mean / 1/sqrt(var + eps) into
 * `mean` / `invStd`, and the batch variance into `variance`.
 */
export function batchNormTrainForward(
  x: Float64Array, y: Float64Array, xhat: Float64Array, gamma: Float64Array, beta: Float64Array,
  mean: Float64Array, variance: Float64Array, invStd: Float64Array, c: number, n: number, eps: number,
): void {
  mean.fill(0);
  variance.fill(0);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) mean[ch] = mean[ch]! + x[i * c + ch]!;
  for (let ch = 0; ch < c; ch++) mean[ch] = mean[ch]! / n;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const d = x[i * c + ch]! - mean[ch]!;
      variance[ch] = variance[ch]! + d * d;
    }
  }
  for (let ch = 0; ch < c; ch++) {
    variance[ch] = variance[ch]! / n;
    invStd[ch] = 1 / Math.sqrt(variance[ch]! + eps);
  }
  batchNormFixedForward(x, y, xhat, gamma, beta, mean, invStd, c, n);
}

/** Inference mode (fixed statistics): xhat = (x - mean) * invStd, y = gamma * xhat + beta. */
export function batchNormFixedForward(
  x: Float64Array, y: Float64Array, xhat: Float64Array, gamma: Float64Array, beta: Float64Array,
  mean: Float64Array, invStd: Float64Array, c: number, n: number,
): void {
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const h = (x[i * c + ch]! - mean[ch]!) * invStd[ch]!;
      xhat[i * c + ch] = h;
      y[i * c + ch] = gamma[ch]! * h + beta[ch]!;
    }
  }
}

/** Backward of batchNormTrainForward (statistics depend on x). */
export function batchNormTrainBackward(
  dy: Float64Array, xhat: Float64Array, gamma: Float64Array, invStd: Float64Array, dx: Float64Array,
  dgamma: Float64Array, dbeta: Float64Array, c: number, n: number,
): void {
  dgamma.fill(0);
  dbeta.fill(0);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const g = dy[i * c + ch]!;
      dbeta[ch] = dbeta[ch]! + g;
      dgamma[ch] = dgamma[ch]! + g * xhat[i * c + ch]!;
    }
  }
  // dx = gamma * invStd / n * (n*dy - sum(dy) - xhat * sum(dy*xhat))
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const j = i * c + ch;
      dx[j] = ((gamma[ch]! * invStd[ch]!) / n) * (n * dy[j]! - dbeta[ch]! - xhat[j]! * dgamma[ch]!);
    }
  }
}

/** Backward of batchNormFixedForward (statistics are constants). */
export function batchNormFixedBackward(
  dy: Float64Array, xhat: Float64Array, gamma: Float64Array, invStd: Float64Array, dx: Float64Array,
  dgamma: Float64Array, dbeta: Float64Array, c: number, n: number,
): void {
  dgamma.fill(0);
  dbeta.fill(0);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const j = i * c + ch;
      const g = dy[j]!;
      dbeta[ch] = dbeta[ch]! + g;
      dgamma[ch] = dgamma[ch]! + g * xhat[j]!;
      dx[j] = g * gamma[ch]! * invStd[ch]!;
    }
  }
}

// ---------------------------------------------------------------- ReLU / ReLU6

export type ActivationKind = 'relu' | 'relu6' | 'none';

export function activationForward(kind: ActivationKind, x: Float64Array, y: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    y[i] = kind === 'none' ? v : kind === 'relu' ? (v > 0 ? v : 0) : v > 0 ? (v < 6 ? v : 6) : 0;
  }
}

/** dx = dy where the activation passes its input (x > 0, and x < 6 for ReLU6). */
export function activationBackward(kind: ActivationKind, x: Float64Array, dy: Float64Array, dx: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    const pass = kind === 'none' || (v > 0 && (kind === 'relu' || v < 6));
    dx[i] = pass ? dy[i]! : 0;
  }
}

// ---------------------------------------------------------------- global average pooling

export function globalAvgPoolForward(x: Float64Array, y: Float64Array, hw: number, c: number, batch: number): void {
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let p = 0; p < hw; p++) s += x[(b * hw + p) * c + ch]!;
      y[b * c + ch] = s / hw;
    }
  }
}

export function globalAvgPoolBackward(dy: Float64Array, dx: Float64Array, hw: number, c: number, batch: number): void {
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) dx[(b * hw + p) * c + ch] = dy[b * c + ch]! / hw;
  }
}

// ---------------------------------------------------------------- dense

export function denseForward(x: Float64Array, w: Float64Array, bias: Float64Array, y: Float64Array, inF: number, outF: number, batch: number): void {
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outF; o++) {
      let s = bias[o]!;
      for (let i = 0; i < inF; i++) s += w[o * inF + i]! * x[b * inF + i]!;
      y[b * outF + o] = s;
    }
  }
}

export function denseBackward(
  x: Float64Array, w: Float64Array, dy: Float64Array, dx: Float64Array | null, dw: Float64Array, dbias: Float64Array,
  inF: number, outF: number, batch: number,
): void {
  dw.fill(0);
  dbias.fill(0);
  if (dx) dx.fill(0, 0, batch * inF);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outF; o++) {
      const g = dy[b * outF + o]!;
      dbias[o] = dbias[o]! + g;
      for (let i = 0; i < inF; i++) {
        dw[o * inF + i] = dw[o * inF + i]! + g * x[b * inF + i]!;
        if (dx) dx[b * inF + i] = dx[b * inF + i]! + g * w[o * inF + i]!;
      }
    }
  }
}

// ---------------------------------------------------------------- softmax cross-entropy

/** Mean cross-entropy over the batch; dlogits = (softmax - onehot) / batch. Returns the loss. */
export function softmaxCrossEntropy(logits: Float64Array, labels: ArrayLike<number>, dlogits: Float64Array, classes: number, batch: number): number {
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const o = b * classes;
    let m = -Infinity;
    for (let j = 0; j < classes; j++) if (logits[o + j]! > m) m = logits[o + j]!;
    let z = 0;
    for (let j = 0; j < classes; j++) z += Math.exp(logits[o + j]! - m);
    const label = labels[b]!;
    loss += Math.log(z) + m - logits[o + label]!;
    for (let j = 0; j < classes; j++) dlogits[o + j] = (Math.exp(logits[o + j]! - m) / z - (j === label ? 1 : 0)) / batch;
  }
  return loss / batch;
}
