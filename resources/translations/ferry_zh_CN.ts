<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="34"/>
        <source>File already exists</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="43"/>
        <source>&lt;b&gt;Size&lt;/b&gt;</source>
        <translation>&lt;b&gt;大小&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="44"/>
        <source>&lt;b&gt;Modified&lt;/b&gt;</source>
        <translation>&lt;b&gt;修改时间&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="45"/>
        <source>Copying (source):</source>
        <translation>正在复制（源）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="46"/>
        <source>Existing (target):</source>
        <translation>已有文件（目标）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="59"/>
        <source>Do this for all conflicts</source>
        <translation>对所有冲突执行此操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="61"/>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="63"/>
        <source>&amp;Skip</source>
        <translation>跳过(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="65"/>
        <source>&amp;Keep both</source>
        <translation>保留两者(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="90"/>
        <source>The target already has a file named “%1”.</source>
        <translation>目标中已有名为“%1”的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="99"/>
        <source>newer</source>
        <translation>较新</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/conflict_dialog.py" line="101"/>
        <source>%n more conflict(s) waiting</source>
        <translation>
            <numerusform>还有 %n 个冲突等待处理</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../app/ui/format.py" line="26"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <location filename="../../app/ui/log_model.py" line="45"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="46"/>
        <source>Kept both</source>
        <translation>已保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="47"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="48"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="49"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="51"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="51"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="51"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="51"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="98"/>
        <source>saved as %1</source>
        <translation>另存为 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="96"/>
        <location filename="../../app/ui/main_window.py" line="781"/>
        <location filename="../../app/ui/main_window.py" line="790"/>
        <source>Ferry</source>
        <translation>Ferry 文件夹复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="110"/>
        <source>Folder to copy (type, paste or drop)</source>
        <translation>要复制的文件夹（输入、粘贴或拖放）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="113"/>
        <location filename="../../app/ui/main_window.py" line="437"/>
        <source>Folder to copy into</source>
        <translation>复制到的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="114"/>
        <location filename="../../app/ui/main_window.py" line="116"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="120"/>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="122"/>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="148"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="155"/>
        <source>Ask me</source>
        <translation>询问我</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="156"/>
        <source>Replace if the source is newer</source>
        <translation>源文件较新时替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="157"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="158"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="159"/>
        <source>Keep both</source>
        <translation>保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="162"/>
        <source>Follow symbolic links</source>
        <translation>跟随符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="164"/>
        <source>Flush each file to disk (slower, safer)</source>
        <translation>每个文件都写入磁盘（较慢，更安全）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="170"/>
        <source>Automatic (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="176"/>
        <source>When a file exists:</source>
        <translation>文件已存在时：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="177"/>
        <source>Parallel workers:</source>
        <translation>并行工作进程：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="185"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="187"/>
        <source>Start copying (Ctrl+Enter)</source>
        <translation>开始复制（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="189"/>
        <location filename="../../app/ui/main_window.py" line="560"/>
        <location filename="../../app/ui/main_window.py" line="617"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="193"/>
        <source>Pause or resume (Ctrl+P)</source>
        <translation>暂停或继续（Ctrl+P）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="194"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="198"/>
        <source>Stop copying (Esc)</source>
        <translation>停止复制（Esc）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="211"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="261"/>
        <source>&amp;Retry failed</source>
        <translation>重试失败项(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="264"/>
        <source>Open target folder</source>
        <translation>打开目标文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="288"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="290"/>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="335"/>
        <source>Recent folders</source>
        <translation>最近使用的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="419"/>
        <source>Choose the folder to copy</source>
        <translation>选择要复制的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="428"/>
        <source>Choose where to copy it</source>
        <translation>选择复制到的位置</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="435"/>
        <source>Folder to copy into, e.g. %1</source>
        <translation>复制到的文件夹，例如 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="458"/>
        <source>No recent folders</source>
        <translation>没有最近使用的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="485"/>
        <source>The source folder does not exist.</source>
        <translation>源文件夹不存在。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="487"/>
        <source>The source is a file, not a folder.</source>
        <translation>源是一个文件，而不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="491"/>
        <source>The target is a file, not a folder.</source>
        <translation>目标是一个文件，而不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="495"/>
        <source>The target is the source folder itself.</source>
        <translation>目标就是源文件夹本身。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="497"/>
        <source>The target is inside the source folder; the copy would never end.</source>
        <translation>目标位于源文件夹内部，复制将永远不会结束。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="508"/>
        <source>Choose a folder to copy and where to copy it.</source>
        <translation>请选择要复制的文件夹以及复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="519"/>
        <source>Now choose where to copy it.</source>
        <translation>现在请选择复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="523"/>
        <source>%1 (a new folder)</source>
        <translation>%1（新文件夹）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="526"/>
        <source>Copy everything inside %1 into %2.</source>
        <translation>将 %1 中的所有内容复制到 %2。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="528"/>
        <source>Copy the %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的 %Ln 个文件复制到 %2。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="530"/>
        <source>Copy more than %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中超过 %Ln 个文件复制到 %2。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="596"/>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="612"/>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="614"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="632"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="664"/>
        <source>%1% — Ferry</source>
        <translation>%1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="669"/>
        <source>%1 of %2 files</source>
        <translation>%1 / %2 个文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="672"/>
        <location filename="../../app/ui/main_window.py" line="704"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="679"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="682"/>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="684"/>
        <source>Flushing to disk — %1</source>
        <translation>正在写入磁盘 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="694"/>
        <source>Copying %1</source>
        <translation>正在复制 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="696"/>
        <source>(and %n more)</source>
        <translation>
            <numerusform>（另有 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="723"/>
        <source>All (%1)</source>
        <translation>全部（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="724"/>
        <source>Copied (%1)</source>
        <translation>已复制（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="725"/>
        <source>Skipped (%1)</source>
        <translation>已跳过（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="726"/>
        <source>Failed (%1)</source>
        <translation>失败（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="751"/>
        <source>Ferry needs you</source>
        <translation>Ferry 需要您的决定</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="751"/>
        <source>A file already exists in the target.</source>
        <translation>目标中已存在同名文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="797"/>
        <source>Nothing was copied: %1</source>
        <translation>未复制任何内容：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="801"/>
        <source>Cancelled. Files already copied are complete; nothing is half-written.</source>
        <translation>已取消。已复制的文件都是完整的，没有写了一半的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="803"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="805"/>
        <source>Done, but %n file(s) could not be copied.</source>
        <translation>
            <numerusform>完成，但有 %n 个文件无法复制。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="806"/>
        <source>Done, with failures.</source>
        <translation>完成，但有失败项。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="808"/>
        <source>Done. Everything is on disk.</source>
        <translation>完成。所有数据都已写入磁盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="809"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="812"/>
        <source>%1 copied, %2 skipped, %3 failed · %4 in %5 · average %6</source>
        <translation>已复制 %1 个，跳过 %2 个，失败 %3 个 · %5 内复制 %4 · 平均 %6</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="832"/>
        <source>… and %n more (filter the log by Failed)</source>
        <translation>
            <numerusform>… 另有 %n 个（在日志中筛选“失败”查看）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="889"/>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="890"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="914"/>
        <source>Export the log</source>
        <translation>导出日志</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="916"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="926"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="948"/>
        <source>Cancel the copy?</source>
        <translation>取消复制？</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="949"/>
        <source>A copy is running. Cancel it and close Ferry?</source>
        <translation>复制正在进行。要取消复制并关闭 Ferry 吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="954"/>
        <source>Cancel copy and close</source>
        <translation>取消复制并关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="955"/>
        <source>Keep copying</source>
        <translation>继续复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="974"/>
        <source>Both a source and a target folder are needed.</source>
        <translation>需要源文件夹和目标文件夹。</translation>
    </message>
</context>
<context>
    <name>SpeedGraph</name>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="90"/>
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="98"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
</context>
</TS>
