// An on/off switch: a real checkbox (keyboard and screen readers get it for free) styled as a switch.

export function ToggleSwitch({
  checked,
  onChange,
  label,
  disabled = false,
  showLabel = false,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  disabled?: boolean;
  showLabel?: boolean;
}) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        aria-label={showLabel ? undefined : label}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
      {showLabel ? <span>{label}</span> : null}
    </label>
  );
}
