;; The fused optimizer updates in WebAssembly SIMD (f32x4), working in place on the memory of
;; tfjs-backend-wasm (imported as env.memory). Each function updates `n` groups of four float32
;; elements; the caller finishes the last (size mod 4) elements in JavaScript with the same
;; arithmetic. Every step is one IEEE float32 operation in the same order as the tfjs ops of the
;; plain path, so the results are bit-identical to it. Pointers are byte offsets into the memory.
;; Build: packages/tensor/wasm/build-optimizer-step.sh (wat2wasm from Debian's wabt) writes
;; src/optimizer-kernels/optimizer-simd-binary.ts.
(module
  (import "env" "memory" (memory 1))

  ;; Adam / AdamW. flags: 1 maximize, 2 L2 decay in the gradient, 4 decoupled decay, 8 amsgrad.
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m0 i32) (param $v0 i32) (param $x0 i32)
    (param $out i32) (param $m1 i32) (param $v1 i32) (param $x1 i32)
    (param $n i32) (param $flags i32)
    (param $b1s f32) (param $c1s f32) (param $b2s f32) (param $c2s f32)
    (param $steps f32) (param $bias2s f32) (param $epss f32) (param $wds f32) (param $keeps f32)
    (local $i i32) (local $end i32)
    (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $step v128)
    (local $bias2 v128) (local $eps v128) (local $wd v128) (local $keep v128)
    (local $gv v128) (local $pv v128) (local $base v128) (local $m v128) (local $v v128) (local $s v128)
    (local.set $b1 (f32x4.splat (local.get $b1s)))
    (local.set $c1 (f32x4.splat (local.get $c1s)))
    (local.set $b2 (f32x4.splat (local.get $b2s)))
    (local.set $c2 (f32x4.splat (local.get $c2s)))
    (local.set $step (f32x4.splat (local.get $steps)))
    (local.set $bias2 (f32x4.splat (local.get $bias2s)))
    (local.set $eps (f32x4.splat (local.get $epss)))
    (local.set $wd (f32x4.splat (local.get $wds)))
    (local.set $keep (f32x4.splat (local.get $keeps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $gv (f32x4.neg (local.get $gv)))))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $pv) (local.get $wd))))))
        (local.set $base (local.get $pv))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then (local.set $base (f32x4.mul (local.get $pv) (local.get $keep)))))
        (local.set $m (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m0) (local.get $i))) (local.get $b1))
          (f32x4.mul (local.get $gv) (local.get $c1))))
        (local.set $v (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v0) (local.get $i))) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $c2))))
        (v128.store (i32.add (local.get $m1) (local.get $i)) (local.get $m))
        (v128.store (i32.add (local.get $v1) (local.get $i)) (local.get $v))
        (local.set $s (local.get $v))
        (if (i32.and (local.get $flags) (i32.const 8))
          (then
            (local.set $s (f32x4.max (v128.load (i32.add (local.get $x0) (local.get $i))) (local.get $v)))
            (v128.store (i32.add (local.get $x1) (local.get $i)) (local.get $s))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.sub (local.get $base)
            (f32x4.mul
              (f32x4.div (local.get $m)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $s)) (local.get $bias2)) (local.get $eps)))
              (local.get $step))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; SGD. flags: 1 maximize, 2 weight decay, 4 momentum, 8 fresh momentum buffer, 16 Nesterov.
  (func (export "sgd")
    (param $p i32) (param $g i32) (param $b0 i32) (param $out i32) (param $b1 i32)
    (param $n i32) (param $flags i32)
    (param $lrs f32) (param $moms f32) (param $damps f32) (param $wds f32)
    (local $i i32) (local $end i32)
    (local $lr v128) (local $mom v128) (local $damp v128) (local $wd v128)
    (local $gv v128) (local $pv v128) (local $b v128)
    (local.set $lr (f32x4.splat (local.get $lrs)))
    (local.set $mom (f32x4.splat (local.get $moms)))
    (local.set $damp (f32x4.splat (local.get $damps)))
    (local.set $wd (f32x4.splat (local.get $wds)))
    (local.set $end (i32.shl (local.get $n) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $gv (f32x4.neg (local.get $gv)))))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $pv) (local.get $wd))))))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (if (i32.and (local.get $flags) (i32.const 8))
              (then (local.set $b (local.get $gv)))
              (else (local.set $b (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $b0) (local.get $i))) (local.get $mom))
                (f32x4.mul (local.get $gv) (local.get $damp))))))
            (v128.store (i32.add (local.get $b1) (local.get $i)) (local.get $b))
            (if (i32.and (local.get $flags) (i32.const 16))
              (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $b) (local.get $mom)))))
              (else (local.set $gv (local.get $b))))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.sub (local.get $pv) (f32x4.mul (local.get $gv) (local.get $lr))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; RMSprop. flags: 1 maximize, 2 weight decay, 4 centered, 8 momentum.
  (func (export "rmsprop")
    (param $p i32) (param $g i32) (param $s0 i32) (param $a0 i32) (param $u0 i32)
    (param $out i32) (param $s1 i32) (param $a1 i32) (param $u1 i32)
    (param $n i32) (param $flags i32)
    (param $lrs f32) (param $alphas f32) (param $cs f32) (param $epss f32) (param $moms f32) (param $wds f32)
    (local $i i32) (local $end i32)
    (local $lr v128) (local $alpha v128) (local $c v128) (local $eps v128) (local $mom v128) (local $wd v128)
    (local $gv v128) (local $pv v128) (local $sq v128) (local $var v128) (local $ga v128) (local $u v128)
    (local.set $lr (f32x4.splat (local.get $lrs)))
    (local.set $alpha (f32x4.splat (local.get $alphas)))
    (local.set $c (f32x4.splat (local.get $cs)))
    (local.set $eps (f32x4.splat (local.get $epss)))
    (local.set $mom (f32x4.splat (local.get $moms)))
    (local.set $wd (f32x4.splat (local.get $wds)))
    (local.set $end (i32.shl (local.get $n) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $gv (f32x4.neg (local.get $gv)))))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $pv) (local.get $wd))))))
        (local.set $sq (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $s0) (local.get $i))) (local.get $alpha))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $c))))
        (v128.store (i32.add (local.get $s1) (local.get $i)) (local.get $sq))
        (local.set $var (local.get $sq))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (local.set $ga (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $a0) (local.get $i))) (local.get $alpha))
              (f32x4.mul (local.get $gv) (local.get $c))))
            (v128.store (i32.add (local.get $a1) (local.get $i)) (local.get $ga))
            (local.set $var (f32x4.max (f32x4.splat (f32.const 0))
              (f32x4.sub (local.get $sq) (f32x4.mul (local.get $ga) (local.get $ga)))))))
        (local.set $u (f32x4.div (local.get $gv) (f32x4.add (f32x4.sqrt (local.get $var)) (local.get $eps))))
        (if (i32.and (local.get $flags) (i32.const 8))
          (then
            (local.set $u (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $u0) (local.get $i))) (local.get $mom))
              (local.get $u)))
            (v128.store (i32.add (local.get $u1) (local.get $i)) (local.get $u))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.sub (local.get $pv) (f32x4.mul (local.get $u) (local.get $lr))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
