// Mirrors jambox.dsp.ParamSpec so a knob here sits where a hardware knob with the same descriptor would.
export function toNormalized(spec, value) {
  const v = Math.min(spec.max, Math.max(spec.min, value));
  if (spec.taper === 'LOG') return Math.log(v / spec.min) / Math.log(spec.max / spec.min);
  return (v - spec.min) / (spec.max - spec.min);
}

export function fromNormalized(spec, knob) {
  const k = Math.min(1, Math.max(0, knob));
  if (spec.taper === 'LOG') return spec.min * Math.pow(spec.max / spec.min, k);
  if (spec.taper === 'CHOICE') return Math.round(spec.min + k * (spec.max - spec.min));
  return spec.min + k * (spec.max - spec.min);
}

/** Four significant digits is finer than a finger can set and keeps commands readable in logs. */
export function tidy(spec, value) {
  const rounded = value === 0 ? 0 : Number(value.toPrecision(4));
  return Math.min(spec.max, Math.max(spec.min, rounded));
}

export function formatValue(spec, value) {
  if (value == null || Number.isNaN(value)) return '–';
  if (spec.taper === 'CHOICE') return spec.choices?.[Math.round(value)] ?? String(value);
  const number = Math.abs(value) >= 100 || Number.isInteger(value)
    ? value.toFixed(0)
    : String(Number(value.toPrecision(3)));
  if (!spec.unit) return number;
  // "50%" and "4:1" read as one thing; "18 dB" and "800 Hz" want the space.
  return /^[a-z]/i.test(spec.unit) ? `${number} ${spec.unit}` : `${number}${spec.unit}`;
}
