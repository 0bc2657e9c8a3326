<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ConflictDialog</name>
    <message numerus="yes">
        <location filename="../../app/ui/conflict_dialog.py" line="206"/>
        <source>%Ln more conflict(s) waiting</source>
        <translation>
            <numerusform>%Ln more conflict waiting</numerusform>
            <numerusform>%Ln more conflicts waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="340"/>
        <source>Move the %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>Move the %Ln file (%3) inside %1 into %2.</numerusform>
            <numerusform>Move the %Ln files (%3) inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="341"/>
        <source>Move more than %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>Move more than %Ln file (%3) inside %1 into %2.</numerusform>
            <numerusform>Move more than %Ln files (%3) inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="345"/>
        <source>Copy the %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>Copy the %Ln file (%3) inside %1 into %2.</numerusform>
            <numerusform>Copy the %Ln files (%3) inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="346"/>
        <source>Copy more than %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>Copy more than %Ln file (%3) inside %1 into %2.</numerusform>
            <numerusform>Copy more than %Ln files (%3) inside %1 into %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="355"/>
        <source>Move the %Ln file(s) inside %1?</source>
        <translation>
            <numerusform>Move the %Ln file inside %1?</numerusform>
            <numerusform>Move the %Ln files inside %1?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="356"/>
        <source>Move more than %Ln file(s) inside %1?</source>
        <translation>
            <numerusform>Move more than %Ln file inside %1?</numerusform>
            <numerusform>Move more than %Ln files inside %1?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/log_panel.py" line="300"/>
        <source>&amp;Copy path(s)</source>
        <translation>
            <numerusform>&amp;Copy path</numerusform>
            <numerusform>&amp;Copy paths</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/log_panel.py" line="394"/>
        <source>Saved %Ln row(s) to %1.</source>
        <translation>
            <numerusform>Saved %Ln row to %1.</numerusform>
            <numerusform>Saved %Ln rows to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="335"/>
        <source>Move the %Ln item(s) that failed, from %1?</source>
        <translation>
            <numerusform>Move the %Ln item that failed, from %1?</numerusform>
            <numerusform>Move the %Ln items that failed, from %1?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanGate</name>
    <message numerus="yes">
        <location filename="../../app/ui/plan_gate.py" line="74"/>
        <source>The mirror did not start: its preview found %Ln item(s) it could not copy.</source>
        <translation>
            <numerusform>The mirror did not start: its preview found %Ln item it could not copy.</numerusform>
            <numerusform>The mirror did not start: its preview found %Ln items it could not copy.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/plan_gate.py" line="97"/>
        <source>Delete %Ln entry(ies) in the target that are not in the source?</source>
        <translation>
            <numerusform>Delete %Ln entry in the target that is not in the source?</numerusform>
            <numerusform>Delete %Ln entries in the target that are not in the source?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="183"/>
        <source>Copy: %Ln file(s), %2 · average %3</source>
        <translation>
            <numerusform>Copy: %Ln file, %2 · average %3</numerusform>
            <numerusform>Copy: %Ln files, %2 · average %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="194"/>
        <source>%1 of %Ln file(s)</source>
        <translation>
            <numerusform>%1 of %Ln file</numerusform>
            <numerusform>%1 of %Ln files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="279"/>
        <source>(and %Ln more)</source>
        <translation>
            <numerusform>(and %Ln more)</numerusform>
            <numerusform>(and %Ln more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="166"/>
        <source>Done, but %Ln item(s) could not be copied.</source>
        <translation>
            <numerusform>Done, but %Ln item could not be copied.</numerusform>
            <numerusform>Done, but %Ln items could not be copied.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="170"/>
        <source>Done, but %Ln source file(s) stayed: their copies could not take their place (why below).</source>
        <translation>
            <numerusform>Done, but %Ln source file stayed: its copy could not take its place (why below).</numerusform>
            <numerusform>Done, but %Ln source files stayed: their copies could not take their place (why below).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="252"/>
        <source>%Ln file(s) differ from the checksums or are missing.</source>
        <translation>
            <numerusform>%Ln file differs from the checksums or is missing.</numerusform>
            <numerusform>%Ln files differ from the checksums or are missing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="256"/>
        <source>All %Ln file(s) match their checksums.</source>
        <translation>
            <numerusform>The %Ln file matches its checksum.</numerusform>
            <numerusform>All %Ln files match their checksums.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="294"/>
        <source>… and %Ln more (filter the log by Failed)</source>
        <translation>
            <numerusform>… and %Ln more (filter the log by Failed)</numerusform>
            <numerusform>… and %Ln more (filter the log by Failed)</numerusform>
        </translation>
    </message>
</context>
</TS>
