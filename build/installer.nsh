; Gatehouse's additions to electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; See docs/decisions.md, "Fuses, asar, and re-signing".

; Uninstalling removes "Start Gatehouse when I log in": Electron's app.setLoginItemSettings writes a
; value under HKCU\...\Run named after the app's AppUserModelID (shell/browser/browser_win.cc), which
; Gatehouse sets to its appId, plus Windows' own enabled/disabled mark under StartupApproved\Run.
; Not on an update: electron-builder uninstalls the old version then, and the setting must survive.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "dev.gatehouse.app"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "dev.gatehouse.app"
  ${endIf}
!macroend
