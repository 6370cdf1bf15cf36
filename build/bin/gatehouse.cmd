@echo off
rem The `gatehouse` command of the installed app (Windows). It runs the app itself in CLI mode:
rem `Gatehouse.exe --cli -- <command...>` prints, exits with the exit code of the command and opens
rem no window, because the runAsNode fuse of the app is off. The `--` matters: Electron exits before
rem any JavaScript when an argument that looks like a URL is followed by another one, unless a `--`
rem comes first (`connectors add github --url https://... --bearer-env TOKEN`). Installed as
rem <install dir>\resources\bin\gatehouse.cmd; add that folder to PATH to type `gatehouse` anywhere.
rem (A batch file waits for the app to exit, so the exit code is the command's own.)
setlocal
set "GATEHOUSE_APP=%~dp0..\..\Gatehouse.exe"
if not exist "%GATEHOUSE_APP%" goto missing
"%GATEHOUSE_APP%" --cli -- %*
exit /b %ERRORLEVEL%
:missing
echo gatehouse: the Gatehouse app was not found beside this launcher. 1>&2
exit /b 127
