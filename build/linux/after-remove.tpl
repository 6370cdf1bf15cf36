#!/bin/bash
# Gatehouse's after-remove script for the .deb: electron-builder's own template
# (app-builder-lib/templates/linux/after-remove.tpl), removing the /usr/bin/gatehouse command-line
# link that after-install.tpl made.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove 'gatehouse' '/opt/${sanitizedProductName}/resources/bin/gatehouse'
else
    rm -f '/usr/bin/gatehouse'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi