;; Transcodes windows-1252 (WHATWG's, which "latin1" also means) bytes to UTF-8.
;; Compiled by scripts/build-wasm.mjs into windows-1252-wasm-module.ts (committed, checked by a test).
;;
;; Memory, filled by windows-1252-wasm.ts before the first call:
;;   0..1023     per byte 4 bytes: the UTF-8 length (1..3), then the UTF-8 bytes (zero-padded)
;;   1024..5119  per 8-bit mask of high bytes, 16 byte indices spreading 8 input bytes over 8..16 output bytes:
;;               each high byte is preceded by index 0x80, which the swizzle turns into 0
;;   5120..9215  the same shape, with the high byte's index at the 0x80 places and 0x80 elsewhere
(module
  (memory (export "memory") 1)

  ;; transcode(in, length, out) -> bytes written; out needs 3 bytes per input byte plus 16 (stores overrun)
  (func (export "transcode") (param $in i32) (param $length i32) (param $out i32) (result i32)
    (local $end i32) (local $out0 i32) (local $mask i32) (local $half i32)
    (local $v v128) (local $high v128) (local $cont v128) (local $lead v128)
    (local.set $end (i32.add (local.get $in) (local.get $length)))
    (local.set $out0 (local.get $out))
    (block $tail
      (loop $block
        (br_if $tail (i32.gt_u (i32.add (local.get $in) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load (local.get $in)))
        (local.set $mask (i8x16.bitmask (local.get $v)))
        ;; 16 ASCII bytes are the same in UTF-8: copied at once
        (if (i32.eqz (local.get $mask)) (then
          (v128.store (local.get $out) (local.get $v))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $block)))
        (local.set $high (i8x16.lt_s (local.get $v) (v128.const i32x4 0 0 0 0)))
        ;; a byte in 0x80..0x9F (€, curly quotes, dashes: 2 or 3 UTF-8 bytes): this block byte by byte
        (if (i8x16.bitmask (v128.and (local.get $high)
              (i8x16.lt_u (local.get $v) (v128.const i32x4 0xa0a0a0a0 0xa0a0a0a0 0xa0a0a0a0 0xa0a0a0a0)))) (then
          (local.set $out (call $bytes (local.get $in) (i32.add (local.get $in) (i32.const 16)) (local.get $out)))
          (local.set $in (i32.add (local.get $in) (i32.const 16)))
          (br $block)))
        ;; 0xA0..0xFF is U+00A0..U+00FF: lead 0xC2 or 0xC3 (bit 6), continuation the byte with bit 6 cleared
        (local.set $cont (v128.bitselect
          (v128.and (local.get $v) (v128.const i32x4 0xbfbfbfbf 0xbfbfbfbf 0xbfbfbfbf 0xbfbfbfbf))
          (local.get $v) (local.get $high)))
        (local.set $lead (v128.or (v128.const i32x4 0xc2c2c2c2 0xc2c2c2c2 0xc2c2c2c2 0xc2c2c2c2)
          (v128.and (i8x16.shr_u (local.get $v) (i32.const 6)) (v128.const i32x4 0x01010101 0x01010101 0x01010101 0x01010101))))
        ;; low 8 bytes, then high 8 bytes (the table's indices moved up by 8; 0x80 + 8 still selects 0)
        (local.set $half (i32.and (local.get $mask) (i32.const 0xff)))
        (v128.store (local.get $out) (v128.or
          (i8x16.swizzle (local.get $cont) (v128.load offset=1024 (i32.shl (local.get $half) (i32.const 4))))
          (i8x16.swizzle (local.get $lead) (v128.load offset=5120 (i32.shl (local.get $half) (i32.const 4))))))
        (local.set $out (i32.add (local.get $out) (i32.add (i32.const 8) (i32.popcnt (local.get $half)))))
        (local.set $half (i32.shr_u (local.get $mask) (i32.const 8)))
        (v128.store (local.get $out) (v128.or
          (i8x16.swizzle (local.get $cont) (i8x16.add
            (v128.load offset=1024 (i32.shl (local.get $half) (i32.const 4)))
            (v128.const i32x4 0x08080808 0x08080808 0x08080808 0x08080808)))
          (i8x16.swizzle (local.get $lead) (i8x16.add
            (v128.load offset=5120 (i32.shl (local.get $half) (i32.const 4)))
            (v128.const i32x4 0x08080808 0x08080808 0x08080808 0x08080808)))))
        (local.set $out (i32.add (local.get $out) (i32.add (i32.const 8) (i32.popcnt (local.get $half)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (br $block)))
    (local.set $out (call $bytes (local.get $in) (local.get $end) (local.get $out)))
    (i32.sub (local.get $out) (local.get $out0)))

  ;; bytes from $in to $stop through the table, without a branch per byte; returns the new out
  (func $bytes (param $in i32) (param $stop i32) (param $out i32) (result i32)
    (local $entry i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $stop)))
        (local.set $entry (i32.load (i32.shl (i32.load8_u (local.get $in)) (i32.const 2))))
        ;; little-endian: the low byte is the length, the three above it the UTF-8 bytes
        (i32.store (local.get $out) (i32.shr_u (local.get $entry) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.and (local.get $entry) (i32.const 0xff))))
        (local.set $in (i32.add (local.get $in) (i32.const 1)))
        (br $next)))
    (local.get $out)))
