<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ConflictDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/conflict_dialog.py" line="101"/>
        <source>%n more conflict(s) waiting</source>
        <translation>
            <numerusform>%n more conflict waiting</numerusform>
            <numerusform>%n more conflicts waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="530"/>
        <source>Copy the %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>Copy the %Ln file inside %1 into %2.</numerusform>
            <numerusform>Copy the %Ln files inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="532"/>
        <source>Copy more than %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>Copy more than %Ln file inside %1 into %2.</numerusform>
            <numerusform>Copy more than %Ln files inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="698"/>
        <source>(and %n more)</source>
        <translation>
            <numerusform>(and %n more)</numerusform>
            <numerusform>(and %n more)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="808"/>
        <source>Done, but %n file(s) could not be copied.</source>
        <translation>
            <numerusform>Done, but %n file could not be copied.</numerusform>
            <numerusform>Done, but %n files could not be copied.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="836"/>
        <source>… and %n more (filter the log by Failed)</source>
        <translation>
            <numerusform>… and %n more (filter the log by Failed)</numerusform>
            <numerusform>… and %n more (filter the log by Failed)</numerusform>
        </translation>
    </message>
</context>
</TS>
