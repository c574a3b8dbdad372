// Writes grad.wat: the WebAssembly SIMD kernels behind @descent/tensor's WASM Conv2DBackpropFilter
// and MaxPoolGrad. The filter gradient needs one copy of its inner loop per register tile, so
// those functions are written out here from one template instead of by hand. Run by build.sh.
import { writeFileSync } from 'node:fs';

/** Register tiles of the filter gradient: R taps (x values) by V vectors of 4 output channels. */
const TILES = [];
for (const r of [1, 2, 3, 4]) for (const v of [1, 2]) TILES.push([r, v]);

const range = (n) => Array.from({ length: n }, (_, i) => i);

function tile(r, v) {
  const acc = (i, k) => `$a${i}_${k}`;
  const locals = [
    ...range(r).flatMap((i) => range(v).map((k) => `(local ${acc(i, k)} v128)`)),
    ...range(v).map((k) => `(local $d${k} v128)`),
    '(local $s v128) (local $xp i32) (local $j i32)',
  ];
  const rowAt = (i) => `(i32.add (local.get $out) (i32.mul (i32.const ${i}) (local.get $outRow)))`;
  const load = range(r).flatMap((i) =>
    range(v).map((k) => `(local.set ${acc(i, k)} (v128.load offset=${16 * k} ${rowAt(i)}))`),
  );
  const store = range(r).flatMap((i) =>
    range(v).map((k) => `(v128.store offset=${16 * k} ${rowAt(i)} (local.get ${acc(i, k)}))`),
  );
  const body = [
    ...range(v).map((k) => `(local.set $d${k} (v128.load offset=${16 * k} (local.get $dy)))`),
    ...range(r).flatMap((i) => [
      `(local.set $s (v128.load32_splat offset=${4 * i} (local.get $xp)))`,
      ...range(v).map(
        (k) =>
          `(local.set ${acc(i, k)} (f32x4.add (local.get ${acc(i, k)}) (f32x4.mul (local.get $s) (local.get $d${k}))))`,
      ),
    ]),
  ];
  return `
  ;; dW rows [r0, r0+${r}) x channels [c0, c0+${4 * v}) += sum over rows x cols output positions of
  ;; x[position, r0 + i] * dy[position, c0 + k]. x: byte address of tap r0 at output (0, 0); the
  ;; next column is xCol bytes on, the next row xRow. dy: dy[(0, 0), c0], positions dyCol apart
  ;; and contiguous across rows. out: dW[r0, c0], rows outRow bytes apart. rows, cols >= 1.
  (func (export "dw${r}x${4 * v}")
    (param $x i32) (param $dy i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $xRow i32) (param $xCol i32) (param $dyCol i32) (param $outRow i32)
    ${locals.join('\n    ')}
    ${load.join('\n    ')}
    (loop $row
      (local.set $xp (local.get $x))
      (local.set $j (local.get $cols))
      (loop $col
        ${body.join('\n        ')}
        (local.set $xp (i32.add (local.get $xp) (local.get $xCol)))
        (local.set $dy (i32.add (local.get $dy) (local.get $dyCol)))
        (br_if $col (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
      (local.set $x (i32.add (local.get $x) (local.get $xRow)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
    ${store.join('\n    ')})`;
}

const maxPool = `
  ;; The gradient of max pooling over windows that do not overlap (stride >= window in both
  ;; directions), NHWC with c4 groups of 4 channels, every group one f32x4. Each dy value goes to
  ;; the first cell of its window, in row-major order, whose x beats all before it by a strict >
  ;; from -Infinity (so NaN and -Infinity never win, and a window of only those passes nothing),
  ;; which is how tfjs's cpu backend decides. Writes every cell of every window (0 where it did
  ;; not win); cells no window covers are left alone (the caller zeroes them). Windows are
  ;; clipped to the input (padding is skipped). Pointers are byte addresses; sizes in elements.
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $n i32) (param $h i32) (param $w i32)
    (param $c4 i32) (param $oh i32) (param $ow i32) (param $fh i32) (param $fw i32)
    (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (local $b i32) (local $r i32) (local $q i32) (local $g i32) (local $k i32)
    (local $rLo i32) (local $rHi i32) (local $cLo i32) (local $cHi i32)
    (local $pixel i32) (local $rowBytes i32) (local $sample i32) (local $corner i32)
    (local $at i32) (local $cell i32) (local $ih i32) (local $iw i32) (local $off i32)
    (local $max v128) (local $sel v128) (local $v v128) (local $gt v128) (local $d v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $pixel (i32.shl (local.get $c4) (i32.const 4)))
    (local.set $rowBytes (i32.mul (local.get $w) (local.get $pixel)))
    (local.set $b (i32.const 0))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $sample (i32.add (local.get $x)
        (i32.mul (i32.mul (local.get $b) (local.get $h)) (local.get $rowBytes))))
      (local.set $r (i32.const 0))
      (block $doneR (loop $nextR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $oh)))
        (local.set $rLo (i32.sub (i32.mul (local.get $r) (local.get $sh)) (local.get $top)))
        (local.set $rHi (i32.add (local.get $rLo) (local.get $fh)))
        (if (i32.lt_s (local.get $rLo) (i32.const 0)) (then (local.set $rLo (i32.const 0))))
        (if (i32.gt_s (local.get $rHi) (local.get $h)) (then (local.set $rHi (local.get $h))))
        (local.set $q (i32.const 0))
        (block $doneQ (loop $nextQ
          (br_if $doneQ (i32.ge_u (local.get $q) (local.get $ow)))
          (local.set $cLo (i32.sub (i32.mul (local.get $q) (local.get $sw)) (local.get $left)))
          (local.set $cHi (i32.add (local.get $cLo) (local.get $fw)))
          (if (i32.lt_s (local.get $cLo) (i32.const 0)) (then (local.set $cLo (i32.const 0))))
          (if (i32.gt_s (local.get $cHi) (local.get $w)) (then (local.set $cHi (local.get $w))))
          ;; corner: byte offset of cell (rLo, cLo), channel group 0, within the sample
          (local.set $corner (i32.add (i32.mul (local.get $rLo) (local.get $rowBytes))
            (i32.mul (local.get $cLo) (local.get $pixel))))
          (local.set $g (i32.const 0))
          (if (i32.and (i32.eq (i32.sub (local.get $rHi) (local.get $rLo)) (i32.const 2))
                       (i32.and (i32.eq (i32.sub (local.get $cHi) (local.get $cLo)) (i32.const 2))
                                (i32.and (i32.eq (local.get $fh) (i32.const 2)) (i32.eq (local.get $fw) (i32.const 2)))))
            (then
              ;; A whole 2x2 window, unrolled: s_k marks lanes where cell k beats the cells before
              ;; it, so cell k wins where s_k holds and no later s does.
              (local.set $at (i32.add (local.get $sample) (local.get $corner)))
              (local.set $off (i32.sub (local.get $dx) (local.get $x)))
              (loop $group
                (local.set $cell (i32.add (local.get $at) (local.get $g)))
                (local.set $s0 (f32x4.gt (v128.load (local.get $cell)) (v128.const f32x4 -inf -inf -inf -inf)))
                (local.set $max (v128.bitselect (v128.load (local.get $cell)) (v128.const f32x4 -inf -inf -inf -inf) (local.get $s0)))
                (local.set $v (v128.load (i32.add (local.get $cell) (local.get $pixel))))
                (local.set $s1 (f32x4.gt (local.get $v) (local.get $max)))
                (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $s1)))
                (local.set $v (v128.load (i32.add (local.get $cell) (local.get $rowBytes))))
                (local.set $s2 (f32x4.gt (local.get $v) (local.get $max)))
                (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $s2)))
                (local.set $v (v128.load (i32.add (i32.add (local.get $cell) (local.get $rowBytes)) (local.get $pixel))))
                (local.set $s3 (f32x4.gt (local.get $v) (local.get $max)))
                (local.set $d (v128.load (local.get $dy)))
                (local.set $cell (i32.add (local.get $cell) (local.get $off)))
                (v128.store (i32.add (i32.add (local.get $cell) (local.get $rowBytes)) (local.get $pixel))
                  (v128.and (local.get $d) (local.get $s3)))
                (v128.store (i32.add (local.get $cell) (local.get $rowBytes))
                  (v128.and (local.get $d) (v128.andnot (local.get $s2) (local.get $s3))))
                (local.set $s3 (v128.or (local.get $s2) (local.get $s3)))
                (v128.store (i32.add (local.get $cell) (local.get $pixel))
                  (v128.and (local.get $d) (v128.andnot (local.get $s1) (local.get $s3))))
                (v128.store (local.get $cell)
                  (v128.and (local.get $d) (v128.andnot (local.get $s0) (v128.or (local.get $s1) (local.get $s3)))))
                (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
                (br_if $group (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 16))) (local.get $pixel))))))
          (block $doneG (loop $nextG
            (br_if $doneG (i32.ge_u (local.get $g) (local.get $pixel)))
            (local.set $max (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $sel (v128.const i32x4 -1 -1 -1 -1))
            (local.set $k (i32.const 0))
            (local.set $ih (local.get $rLo))
            (local.set $at (i32.add (i32.add (local.get $sample) (local.get $corner)) (local.get $g)))
            (block $done1 (loop $row1
              (br_if $done1 (i32.ge_u (local.get $ih) (local.get $rHi)))
              (local.set $cell (local.get $at))
              (local.set $iw (local.get $cLo))
              (block $doneC1 (loop $col1
                (br_if $doneC1 (i32.ge_u (local.get $iw) (local.get $cHi)))
                (local.set $v (v128.load (local.get $cell)))
                (local.set $gt (f32x4.gt (local.get $v) (local.get $max)))
                (local.set $max (v128.bitselect (local.get $v) (local.get $max) (local.get $gt)))
                (local.set $sel (v128.bitselect (i32x4.splat (local.get $k)) (local.get $sel) (local.get $gt)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (local.set $cell (i32.add (local.get $cell) (local.get $pixel)))
                (local.set $iw (i32.add (local.get $iw) (i32.const 1)))
                (br $col1)))
              (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
              (local.set $ih (i32.add (local.get $ih) (i32.const 1)))
              (br $row1)))
            (local.set $d (v128.load (local.get $dy)))
            (local.set $k (i32.const 0))
            (local.set $ih (local.get $rLo))
            (local.set $off (i32.sub (local.get $dx) (local.get $x)))
            (local.set $at (i32.add (i32.add (i32.add (local.get $sample) (local.get $corner)) (local.get $g))
              (local.get $off)))
            (block $done2 (loop $row2
              (br_if $done2 (i32.ge_u (local.get $ih) (local.get $rHi)))
              (local.set $cell (local.get $at))
              (local.set $iw (local.get $cLo))
              (block $doneC2 (loop $col2
                (br_if $doneC2 (i32.ge_u (local.get $iw) (local.get $cHi)))
                (v128.store (local.get $cell)
                  (v128.and (local.get $d) (i32x4.eq (local.get $sel) (i32x4.splat (local.get $k)))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (local.set $cell (i32.add (local.get $cell) (local.get $pixel)))
                (local.set $iw (i32.add (local.get $iw) (i32.const 1)))
                (br $col2)))
              (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
              (local.set $ih (i32.add (local.get $ih) (i32.const 1)))
              (br $row2)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (br $nextG)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $nextQ)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextR)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB))))`;

const pad = `
  ;; Copies n samples of an NHWC image (h x w, $pixel bytes per cell) into the middle of a zeroed
  ;; frame (height x width), $top rows and $left columns in, cutting what falls outside the frame.
  (func (export "pad")
    (param $src i32) (param $dst i32) (param $n i32) (param $h i32) (param $w i32) (param $pixel i32)
    (param $height i32) (param $width i32) (param $top i32) (param $left i32)
    (local $r0 i32) (local $r1 i32) (local $c0 i32) (local $span i32) (local $b i32) (local $r i32)
    (local $srcRow i32) (local $dstRow i32)
    (memory.fill (local.get $dst) (i32.const 0)
      (i32.mul (i32.mul (local.get $n) (i32.mul (local.get $height) (local.get $width))) (local.get $pixel)))
    (local.set $r0 (local.get $top))
    (local.set $r1 (i32.add (local.get $h) (local.get $top)))
    (if (i32.gt_s (local.get $r1) (local.get $height)) (then (local.set $r1 (local.get $height))))
    (local.set $c0 (local.get $left))
    (local.set $span (i32.sub (i32.add (local.get $w) (local.get $left)) (local.get $c0)))
    (if (i32.gt_s (i32.add (local.get $w) (local.get $left)) (local.get $width))
      (then (local.set $span (i32.sub (local.get $width) (local.get $c0)))))
    (if (i32.le_s (local.get $span) (i32.const 0)) (then (return)))
    (local.set $span (i32.mul (local.get $span) (local.get $pixel)))
    (local.set $b (i32.const 0))
    (block $doneB (loop $nextB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $r (local.get $r0))
      (block $doneR (loop $nextR
        (br_if $doneR (i32.ge_s (local.get $r) (local.get $r1)))
        (memory.copy
          (i32.add (local.get $dst) (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $height))
            (local.get $r)) (local.get $width)) (local.get $c0)) (local.get $pixel)))
          (i32.add (local.get $src) (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h))
            (i32.sub (local.get $r) (local.get $top))) (local.get $w)) (local.get $pixel)))
          (local.get $span))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextR)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $nextB))))`;

const wat = `;; Generated by wasm/generate.mjs; do not edit. WebAssembly SIMD (f32x4) kernels that work on
;; the memory of tfjs-backend-wasm (imported as env.memory): the filter gradient of conv2d in
;; register tiles, and the gradient of non-overlapping max pooling. Pointers are byte offsets.
;; Build: packages/tensor/wasm/build.sh (wat2wasm from Debian's wabt) writes src/kernels/grad-wasm-binary.ts.
(module
  (import "env" "memory" (memory 1))
${TILES.map(([r, v]) => tile(r, v)).join('\n')}
${pad}
${maxPool}
)
`;

writeFileSync(new URL('./grad.wat', import.meta.url), wat);
