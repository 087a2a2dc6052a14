; Inno Setup 6 script of the QPV Desk installer (Windows, per user, no administrator rights).
; Saved as UTF-8 WITH a byte-order mark, so that Inno Setup reads « démonstration » right.
;
; Build the one-folder app first (python packaging\build.py → dist\qpv-desk\), then:
;
;     ISCC /DAppVersion=0.1.0 packaging\qpv-desk.iss
;
; or simply « python packaging\build.py --installer », which reads the version from
; src\qpv_desk\__init__.py (__version__, the single place it is defined) and passes it as
; /DAppVersion. The installer lands in dist\installer\QPV-Desk-<version>-setup.exe.
;
; The user's database, backups and logs live in %LOCALAPPDATA%\QPV Desk, NOT in the
; installation folder ({localappdata}\Programs\QPV Desk): the uninstaller removes the
; program only and leaves them in place (there is deliberately no [UninstallDelete]).

#ifndef AppVersion
  #error Passez la version : ISCC /DAppVersion=x.y.z packaging\qpv-desk.iss (ou python packaging\build.py --installer)
#endif

#define AppName "QPV Desk"
#define AppExe "qpv-desk-gui.exe"
#define SourceDir "..\dist\qpv-desk"

[Setup]
; A fixed identifier: upgrades replace the previous version instead of installing beside it.
AppId={{3C55C66E-DA97-4B6D-B77A-AD5C6113307E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=QPV Desk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription=Installation de {#AppName}
; Per-user install: no UAC prompt, the référente can install it herself.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\QPV Desk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir=..\dist\installer
OutputBaseFilename=QPV-Desk-{#AppVersion}-setup
SetupIconFile=..\resources\icons\qpv-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
CloseApplications=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder app: qpv-desk-gui.exe (Start menu, no console), qpv-desk.exe
; (command line) and _internal\ (Python, Qt, resources, migrations, sample database).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program files entirely (a stale module must not linger).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\_internal\resources\icons\qpv-desk.ico"; Comment: "Pilotage local du contrat de ville"
Name: "{autoprograms}\{#AppName} (démonstration)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"; IconFilename: "{app}\_internal\resources\icons\qpv-desk.ico"; Comment: "QPV Desk sur une copie de la base d'exemple"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\_internal\resources\icons\qpv-desk.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section: the uninstaller removes only what it installed in {app}.
; The database, its backups and the logs in {localappdata}\QPV Desk stay in place.
