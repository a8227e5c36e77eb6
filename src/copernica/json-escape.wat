;; JSON-escapes valid UTF-8: the inside of a JSON string, byte for byte equal to V8's JSON.stringify.
;; Compiled by scripts/build-wasm.mjs into json-escape-wasm-module.ts (committed, checked by a test).
;;
;; Memory, filled by json-escape-wasm.ts before the first call:
;;   0..255     per byte: 0 = copy it, else the char after the backslash ('u' for \u00XX)
;;   256..271   hex digits
;;   272..287   per control 0..15: its one-letter escape (b t n f r), else 0 (it needs \u00XX)
;;   512..4607  per 8-bit escape mask, 16 byte indices that spread 8 input bytes over 8..16 output bytes:
;;              each escaped byte is preceded by index 0x80, which the swizzle turns into 0 (later '\')
(module
  (memory (export "memory") 1)

  ;; escape(in, length, out) -> bytes written; out needs 6 bytes per input byte plus 16 (SIMD stores overrun)
  (func (export "escape") (param $in i32) (param $length i32) (param $out i32) (result i32)
    (local $end i32) (local $out0 i32) (local $mask i32) (local $half i32)
    (local $v v128) (local $ctrl v128) (local $rep v128) (local $o v128)
    (local.set $end (i32.add (local.get $in) (local.get $length)))
    (local.set $out0 (local.get $out))
    (block $tail
      (loop $block
        (br_if $tail (i32.gt_u (i32.add (local.get $in) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load (local.get $in)))
        (local.set $ctrl (i8x16.lt_u (local.get $v) (v128.const i32x4 0x20202020 0x20202020 0x20202020 0x20202020)))
        (local.set $mask (i8x16.bitmask (v128.or (local.get $ctrl) (v128.or
          (i8x16.eq (local.get $v) (v128.const i32x4 0x22222222 0x22222222 0x22222222 0x22222222))
          (i8x16.eq (local.get $v) (v128.const i32x4 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c))))))
        ;; nothing to escape: the common case in most data, 16 bytes copied at once
        (if (i32.eqz (local.get $mask)) (then
          (v128.store (local.get $out) (local.get $v))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $block)))
        ;; each control's letter (swizzle gives 0 for indices >= 16, so controls 16..31 get 0 too)
        (local.set $rep (i8x16.swizzle (v128.load (i32.const 272)) (local.get $v)))
        (if (i8x16.bitmask (v128.and (local.get $ctrl) (i8x16.eq (local.get $rep) (v128.const i32x4 0 0 0 0)))) (then
          ;; a control that needs \u00XX (rare): this block byte by byte
          (local.set $out (call $bytes (local.get $in) (i32.add (local.get $in) (i32.const 16)) (local.get $out)))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (br $block)))
        ;; the char written after each backslash: the control's letter, or the quote or backslash itself
        (local.set $rep (v128.bitselect (local.get $rep) (local.get $v) (local.get $ctrl)))
        ;; low 8 bytes: spread by the mask's table entry, the zeros from 0x80 indices become backslashes
        (local.set $half (i32.and (local.get $mask) (i32.const 0xff)))
        (local.set $o (i8x16.swizzle (local.get $rep) (v128.load offset=512 (i32.shl (local.get $half) (i32.const 4)))))
        (v128.store (local.get $out) (v128.bitselect
          (v128.const i32x4 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c) (local.get $o)
          (i8x16.eq (local.get $o) (v128.const i32x4 0 0 0 0))))
        (local.set $out (i32.add (local.get $out) (i32.add (i32.const 8) (i32.popcnt (local.get $half)))))
        ;; high 8 bytes: the same table, its indices moved up by 8 (0x80 + 8 still selects 0)
        (local.set $half (i32.shr_u (local.get $mask) (i32.const 8)))
        (local.set $o (i8x16.swizzle (local.get $rep) (i8x16.add
          (v128.load offset=512 (i32.shl (local.get $half) (i32.const 4)))
          (v128.const i32x4 0x08080808 0x08080808 0x08080808 0x08080808))))
        (v128.store (local.get $out) (v128.bitselect
          (v128.const i32x4 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c 0x5c5c5c5c) (local.get $o)
          (i8x16.eq (local.get $o) (v128.const i32x4 0 0 0 0))))
        (local.set $out (i32.add (local.get $out) (i32.add (i32.const 8) (i32.popcnt (local.get $half)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (br $block)))
    (local.set $out (call $bytes (local.get $in) (local.get $end) (local.get $out)))
    (i32.sub (local.get $out) (local.get $out0)))

  ;; bytes from $in to $stop one at a time through the table at 0; returns the new out
  (func $bytes (param $in i32) (param $stop i32) (param $out i32) (result i32)
    (local $byte i32) (local $escape i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $stop)))
        (local.set $byte (i32.load8_u (local.get $in)))
        (local.set $escape (i32.load8_u (local.get $byte)))
        (if (i32.eqz (local.get $escape))
          (then
            (i32.store8 (local.get $out) (local.get $byte))
            (local.set $out (i32.add (local.get $out) (i32.const 1))))
          (else
            (i32.store8 (local.get $out) (i32.const 92))
            (if (i32.eq (local.get $escape) (i32.const 117))
              (then
                (i32.store8 offset=1 (local.get $out) (i32.const 117))
                (i32.store8 offset=2 (local.get $out) (i32.const 48))
                (i32.store8 offset=3 (local.get $out) (i32.const 48))
                (i32.store8 offset=4 (local.get $out) (i32.load8_u offset=256 (i32.shr_u (local.get $byte) (i32.const 4))))
                (i32.store8 offset=5 (local.get $out) (i32.load8_u offset=256 (i32.and (local.get $byte) (i32.const 15))))
                (local.set $out (i32.add (local.get $out) (i32.const 6))))
              (else
                (i32.store8 offset=1 (local.get $out) (local.get $escape))
                (local.set $out (i32.add (local.get $out) (i32.const 2)))))))
        (local.set $in (i32.add (local.get $in) (i32.const 1)))
        (br $next)))
    (local.get $out)))
