<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../../app/ui/about.py" line="27"/>
        <source>Ferry copies everything inside the From folder into the To folder (created when missing), in parallel, and never leaves a half-written file under a real name.

Choose the two folders (type, paste, Browse, a recent folder, or drop a folder from the file manager), choose what happens when a file exists, then press Start.

Keys:
Ctrl+Enter or Enter in a folder field: start
Ctrl+P: pause or resume
Esc: cancel (asks first)
Ctrl+C in the log: copy the paths of the selected files
Menu key in the log: copy a path or open its folder
Ctrl+W, Ctrl+Q: close Ferry (asks first while copying)
F1: this help

Details off shows only the progress while copying. Failed files can be retried; the log can be filtered and exported as CSV.</source>
        <translation>Ferry 将“从”文件夹中的所有内容并行复制到“到”文件夹（不存在时会自动创建），绝不会在正式文件名下留下写了一半的文件。

选择两个文件夹（输入、粘贴、浏览、最近使用的文件夹，或从文件管理器拖入文件夹），选择文件已存在时的处理方式，然后按“开始”。

快捷键：
Ctrl+Enter，或在文件夹输入框中按 Enter：开始
Ctrl+P：暂停或继续
Esc：取消（会先询问）
在文件列表中按 Ctrl+C：复制所选文件的路径
在文件列表中按菜单键：复制路径或打开所在文件夹
Ctrl+W、Ctrl+Q：关闭 Ferry（复制时会先询问）
F1：本帮助

关闭“详细信息”后，复制时只显示进度。失败的文件可以重试；文件列表可以筛选并导出为 CSV。</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="44"/>
        <source>Ferry help</source>
        <translation>Ferry 帮助</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="49"/>
        <source>Ferry %1

Copy a folder tree safely, in parallel, and watch it happen.

Qt %2, PySide6.</source>
        <translation>Ferry %1

安全、并行地复制文件夹树，并实时查看进度。

Qt %2，PySide6。</translation>
    </message>
    <message>
        <location filename="../../app/ui/about.py" line="57"/>
        <source>About Ferry</source>
        <translation>关于 Ferry</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="91"/>
        <source>File already exists</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="103"/>
        <source>&lt;b&gt;Size&lt;/b&gt;</source>
        <translation>&lt;b&gt;大小&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="104"/>
        <source>&lt;b&gt;Modified&lt;/b&gt;</source>
        <translation>&lt;b&gt;修改时间&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="105"/>
        <source>Copying (source):</source>
        <translation>正在复制（源）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="106"/>
        <source>Existing (target):</source>
        <translation>已有文件（目标）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="132"/>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="134"/>
        <source>&amp;Skip</source>
        <translation>跳过(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="136"/>
        <source>&amp;Keep both</source>
        <translation>保留两者(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="148"/>
        <source>Replace &amp;older files</source>
        <translation>替换较旧的文件(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="151"/>
        <source>For all conflicts: replace a file only if the one being copied is newer</source>
        <translation>对所有冲突：仅当要复制的文件较新时才替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="153"/>
        <source>Skip &amp;identical files</source>
        <translation>跳过相同的文件(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="156"/>
        <source>For all conflicts: skip files whose content is the same; ask about others</source>
        <translation>对所有冲突：跳过内容相同的文件；其他文件仍然询问</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="159"/>
        <source>For all conflicts:</source>
        <translation>对所有冲突：</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="185"/>
        <source>The target already has a file named “%1”.</source>
        <translation>目标中已有名为“%1”的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="111"/>
        <location filename="../../app/ui/conflict_dialog.py" line="112"/>
        <source>newer</source>
        <translation>较新</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="130"/>
        <source>Do this for &amp;all conflicts</source>
        <translation>对所有冲突执行此操作(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conflict_dialog.py" line="196"/>
        <location filename="../../app/ui/conflict_dialog.py" line="197"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/conflict_dialog.py" line="206"/>
        <source>%Ln more conflict(s) waiting</source>
        <translation>
            <numerusform>还有 %Ln 个冲突等待处理</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../app/ui/control_bar.py" line="41"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="42"/>
        <source>Start copying (Ctrl+Enter)</source>
        <translation>开始复制（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="44"/>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="47"/>
        <source>List what Start would do, file by file, without writing anything</source>
        <translation>逐个文件列出“开始”将做什么，不写入任何内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="49"/>
        <location filename="../../app/ui/control_bar.py" line="161"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="51"/>
        <source>Pause or resume (Ctrl+P)</source>
        <translation>暂停或继续（Ctrl+P）</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="52"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="54"/>
        <source>Stop copying (Esc)</source>
        <translation>停止复制（Esc）</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="55"/>
        <source>&amp;Details</source>
        <translation>详细信息(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="59"/>
        <source>Show the folders, the speed graph and the log</source>
        <translation>显示文件夹、速度图和文件列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="61"/>
        <source>Verify &amp;a folder…</source>
        <translation>校验文件夹(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="64"/>
        <source>Check a folder against a checksum file, reading every file from the disk</source>
        <translation>按校验清单检查文件夹，每个文件都从磁盘读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="78"/>
        <source>Help and about</source>
        <translation>帮助和关于</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="79"/>
        <source>Help (F1) and About</source>
        <translation>帮助（F1）和关于</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="82"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="86"/>
        <source>&amp;About Ferry</source>
        <translation>关于 Ferry(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/control_bar.py" line="161"/>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../app/ui/dialogs.py" line="36"/>
        <source>Cancel the copy?</source>
        <translation>取消复制？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="38"/>
        <source>A copy is paused. Cancel it and close Ferry?</source>
        <translation>复制已暂停。要取消复制并关闭 Ferry 吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="40"/>
        <source>A copy is running. Cancel it and close Ferry?</source>
        <translation>复制正在进行。要取消复制并关闭 Ferry 吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="44"/>
        <source>A copy is paused. Cancel it?</source>
        <translation>复制已暂停。要取消吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="48"/>
        <source>Cancel copy and close</source>
        <translation>取消复制并关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="76"/>
        <source>A mirror deletes only after a preview without failures (they are listed below and in the log, filter Failed). Fix them, or leave them out with Skip matching, then press Start again.</source>
        <translation>镜像只在预览没有失败时才会删除（失败项列在下方，也可在日志中按“失败”筛选查看）。请修复这些项，或用“跳过匹配项”将其排除，然后再次点击“开始”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="85"/>
        <source>Each source file is removed once its copy is on disk; files that are skipped or cannot be copied stay in the source.</source>
        <translation>每个源文件在其副本写入磁盘后即被删除；被跳过或无法复制的文件留在源文件夹中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="91"/>
        <source>&amp;Move</source>
        <translation>移动(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="100"/>
        <source>Some target folders of yours could not be looked into (see the summary): it may delete more there.</source>
        <translation>无法查看你自己的部分目标文件夹（见摘要）：镜像可能会在其中删除更多内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="105"/>
        <source>&amp;Mirror and delete</source>
        <translation>镜像并删除(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="121"/>
        <source>&amp;Do nothing</source>
        <translation>不执行任何操作(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/plan_gate.py" line="112"/>
        <source>Remove files?</source>
        <translation>删除文件？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="128"/>
        <source>Cannot open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="130"/>
        <source>No file manager could open the folder. It is:
%1</source>
        <translation>没有文件管理器可以打开此文件夹。它位于：
%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="46"/>
        <source>A copy is running. Cancel it?</source>
        <translation>正在复制。要取消吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="23"/>
        <source>Cancel the check?</source>
        <translation>取消校验？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="25"/>
        <source>A folder is being checked. Cancel it and close Ferry?</source>
        <translation>正在校验文件夹。要取消并关闭 Ferry 吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="28"/>
        <source>Cancel check and close</source>
        <translation>取消校验并关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="30"/>
        <source>A folder is being checked. Cancel it?</source>
        <translation>正在校验文件夹。要取消吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="31"/>
        <source>Cancel check</source>
        <translation>取消校验</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="33"/>
        <source>Keep checking</source>
        <translation>继续校验</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="50"/>
        <source>Cancel copy</source>
        <translation>取消复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="53"/>
        <source>Keep it paused</source>
        <translation>保持暂停</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs.py" line="55"/>
        <source>Keep copying</source>
        <translation>继续复制</translation>
    </message>
</context>
<context>
    <name>EngineText</name>
    <message>
        <location filename="../../app/ui/reasons.py" line="130"/>
        <source>not a regular file: a named pipe (FIFO), skipped</source>
        <translation>不是普通文件：命名管道（FIFO），已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="131"/>
        <source>not a regular file: a socket, skipped</source>
        <translation>不是普通文件：套接字，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="132"/>
        <source>not a regular file: a character device, skipped</source>
        <translation>不是普通文件：字符设备，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="135"/>
        <source>not a regular file: a block device, skipped</source>
        <translation>不是普通文件：块设备，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="138"/>
        <source>not a regular file, skipped</source>
        <translation>不是普通文件，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="157"/>
        <source>broken symbolic link</source>
        <translation>符号链接已损坏</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="36"/>
        <source>Target is the source folder itself.</source>
        <translation>目标就是源文件夹本身。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="37"/>
        <source>Target is inside the source folder; the copy would never end.</source>
        <translation>目标位于源文件夹内部，复制将永远不会结束。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="184"/>
        <source>the target has a file where this folder goes</source>
        <translation>目标中此文件夹的位置上已有一个文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="191"/>
        <source>the target has a symbolic link where this folder goes</source>
        <translation>目标中此文件夹的位置上已有一个符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="106"/>
        <source>already up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="174"/>
        <source>changed during copy</source>
        <translation>复制期间文件发生了变化</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="128"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="175"/>
        <source>became a symbolic link during the copy</source>
        <translation>复制期间变成了符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="181"/>
        <source>a folder of that name exists in the target</source>
        <translation>目标中已有同名文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="127"/>
        <source>exists in the target</source>
        <translation>目标中已存在</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="23"/>
        <source>No source folder given (the path is empty).</source>
        <translation>未指定源文件夹（路径为空）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="24"/>
        <source>No target folder given (the path is empty).</source>
        <translation>未指定目标文件夹（路径为空）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="25"/>
        <source>A folder&apos;s path holds a NUL character, which no path may hold: %1</source>
        <translation>文件夹路径中含有 NUL 字符，任何路径都不能含有它：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="48"/>
        <source>The target folder was replaced while it was being opened (by a link, or another folder): %1</source>
        <translation>目标文件夹在打开时被替换（换成了链接或另一个文件夹）：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="59"/>
        <source>Another copy is writing into this target folder, or into a folder above or inside it; start this one when it has ended.</source>
        <translation>另一个复制任务正在写入此目标文件夹，或其上级或下级文件夹；请等它结束后再开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="64"/>
        <source>A link on the checksum file&apos;s path was made by another user, or sits in a folder another user may change: name its folder itself: %1</source>
        <translation>校验清单文件路径上的某个链接由其他用户创建，或位于其他用户可以修改的文件夹中：请直接指定它所在的文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="69"/>
        <source>The checksum file&apos;s path holds a NUL character, which no path may hold: %1</source>
        <translation>校验清单文件的路径中含有 NUL 字符，任何路径都不能含有它：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="73"/>
        <source>Something other than a regular file holds the checksum file&apos;s name (a device, a link, a pipe): %1</source>
        <translation>校验清单文件的名称已被普通文件以外的东西占用（设备、链接或管道）：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="78"/>
        <source>The checksum file would replace the copy of %1: save the checksums under another name.</source>
        <translation>校验清单文件会替换 %1 的副本：请用另一个名称保存校验清单。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="82"/>
        <source>The checksum file would be written inside the source folder (%1): save it elsewhere.</source>
        <translation>校验清单文件会写入源文件夹内（%1）：请保存到其他位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="86"/>
        <source>Not enough space in the target: %1 to write, %2 free.</source>
        <translation>目标空间不足：需要写入 %1，可用 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="107"/>
        <source>named like a Ferry temp file, which a later run would remove: skipped</source>
        <translation>名称与 Ferry 的临时文件相同，之后的运行会将其删除：已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="110"/>
        <source>already up to date; its mode, group and attributes set again</source>
        <translation>已是最新；已重新设置其权限、所属组和属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="113"/>
        <source>already up to date; its mode, group and attributes to set again</source>
        <translation>已是最新；将重新设置其权限、所属组和属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="116"/>
        <source>target is newer, kept</source>
        <translation>目标较新，已保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="117"/>
        <source>already up to date, but its copy lacks the source&apos;s owner, permissions, extended attributes or ACLs: the source would stay</source>
        <translation>已是最新，但其副本缺少源文件的所有者、权限、扩展属性或 ACL：源文件将留在原处</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="122"/>
        <source>the copy&apos;s owner differs from the source&apos;s; kept: no room to write a new copy first</source>
        <translation>副本的所有者与源文件的不同；已保留：没有空间先写入新副本</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="126"/>
        <source>the target&apos;s file has the same content</source>
        <translation>目标中的文件内容相同</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="129"/>
        <source>hard link to %1</source>
        <translation>硬链接到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="139"/>
        <source>a named pipe, socket or device the target cannot make (%1): skipped</source>
        <translation>目标无法创建此命名管道、套接字或设备（%1）：已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="142"/>
        <source>copied without its setuid/setgid bits and file capabilities: its file system is mounted nosuid, where they do nothing</source>
        <translation>复制时未带其 setuid/setgid 位和文件能力：其文件系统以 nosuid 挂载，在那里它们不起作用</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="147"/>
        <source>a device node on a file system mounted nodev, where it may not be used: not made</source>
        <translation>位于以 nodev 挂载的文件系统上的设备节点，在那里不可使用：未创建</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="151"/>
        <source>not made: the folder it is made in first, where no one else can reach it, was not this user&apos;s (a file system that gives new entries another owner, or another user&apos;s doing)</source>
        <translation>未创建：先创建它的那个他人无法进入的文件夹不属于当前用户（文件系统把新建项目交给了另一个所有者，或是其他用户所为）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="158"/>
        <source>a folder reached by more than 64 paths (links or mounts): not copied again</source>
        <translation>经由超过 64 条路径（链接或挂载）到达的文件夹：不再重复复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="162"/>
        <source>a loop: this folder is one of its own parents (by a link or a mount)</source>
        <translation>循环：此文件夹是它自身的上级文件夹（经由链接或挂载）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="165"/>
        <source>a symbolic link leads into the target folder: not followed</source>
        <translation>符号链接指向目标文件夹内部：未跟随</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="171"/>
        <source>vanished from the source before it could be copied</source>
        <translation>复制前已从源文件夹中消失</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="187"/>
        <source>the source folder itself is where this folder goes: its copy would land in the source</source>
        <translation>此文件夹在目标中的位置正是源文件夹本身：它的副本会落入源文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="198"/>
        <source>the target holds another copy here, spelled %1, whose source name is gone; it is not replaced: rename or remove it in the target to copy this one</source>
        <translation>目标中此处已有另一个副本，名为 %1，其源名称已不存在；它不会被替换：如要复制这一项，请在目标中将它重命名或删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="203"/>
        <source>a file of this name appeared in the target during the copy; it was kept</source>
        <translation>复制期间目标中出现了同名文件；已保留该文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="206"/>
        <source>no free name for a renamed copy</source>
        <translation>找不到可用于重命名副本的名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="207"/>
        <source>the copy it should be linked to was replaced in the target</source>
        <translation>它应链接到的副本已在目标中被替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="211"/>
        <source>cannot read the folder: %1</source>
        <translation>无法读取该文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="212"/>
        <source>cannot read its details: %1</source>
        <translation>无法读取其信息：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="213"/>
        <source>cannot open its folder: %1</source>
        <translation>无法打开其所在文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="215"/>
        <source>cannot open the source file: %1</source>
        <translation>无法打开源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="216"/>
        <source>cannot read the source file: %1</source>
        <translation>无法读取源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="217"/>
        <source>cannot create the copy: %1</source>
        <translation>无法创建副本：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="218"/>
        <source>cannot write the copy: %1</source>
        <translation>无法写入副本：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="219"/>
        <source>cannot set the copy&apos;s permissions or times: %1</source>
        <translation>无法设置副本的权限或时间：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="222"/>
        <source>cannot give the copy its name: %1</source>
        <translation>无法为副本命名：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="223"/>
        <source>cannot create the hard link: %1</source>
        <translation>无法创建硬链接：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="224"/>
        <source>the target&apos;s file system does not allow this name (%1): vfat and exFAT refuse \ : * ? &quot; &lt; &gt; | and control characters in names</source>
        <translation>目标文件系统不允许此名称（%1）：vfat 和 exFAT 不接受名称中的 \ : * ? &quot; &lt; &gt; | 和控制字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="229"/>
        <source>the target&apos;s file system takes names of ASCII letters only (a FAT driver without Unicode, such as fusefat): this name has others</source>
        <translation>目标文件系统只接受由 ASCII 字母组成的名称（不支持 Unicode 的 FAT 驱动，例如 fusefat）：此名称含有其他字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="234"/>
        <source>the target disk is full: %1</source>
        <translation>目标磁盘已满：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="240"/>
        <source>unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="241"/>
        <source>cannot delete it from the target: %1</source>
        <translation>无法从目标中删除：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="242"/>
        <source>changed in the target after the job began: kept</source>
        <translation>在任务开始后于目标中改动过：已保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="245"/>
        <source>another file system is mounted here: kept</source>
        <translation>此处挂载了另一个文件系统：已保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="248"/>
        <source>copied, but the source could not be removed: %1</source>
        <translation>已复制，但无法删除源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="251"/>
        <source>the source stayed: it changed after the job began</source>
        <translation>源文件留在原处：它在任务开始后被更改过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="254"/>
        <source>the source stayed: its copy in the target, of the same size and time, does not hold its bytes</source>
        <translation>源文件留在原处：目标中大小和时间相同的副本，内容与它不同</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="259"/>
        <source>the source stayed: its copy, already in the target, lacks its owner, permissions, extended attributes or ACLs</source>
        <translation>源文件留在原处：目标中已有的副本缺少它的所有者、权限、扩展属性或 ACL</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="264"/>
        <source>the source stayed: its copy is no longer in the target as it was copied (gone, or changed there)</source>
        <translation>源文件留在原处：它的副本已不在目标中，或已不是复制时的样子（已消失，或在目标中被更改）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="269"/>
        <source>the source stayed: its folder, in the source or the target, was moved or replaced meanwhile</source>
        <translation>源文件留在原处：它所在的文件夹（在源或目标中）在此期间被移动或替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="274"/>
        <source>copied without its setuid/setgid bits: its owner or group could not be kept</source>
        <translation>已复制，但未保留 setuid/setgid 位：无法保留其所有者或组</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="277"/>
        <source>its group could not be kept: group permissions were cleared</source>
        <translation>无法保留其所属组：已清除组权限</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="280"/>
        <source>kept without its setuid, setgid or sticky bit, which the target&apos;s file system refuses (%1)</source>
        <translation>已复制，但没有保留其 setuid、setgid 或粘滞位，因为目标的文件系统拒绝设置（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="285"/>
        <source>its time lies beyond the years the target&apos;s file system keeps: it has the nearest (in %1)</source>
        <translation>其时间超出了目标文件系统能保存的年份范围：已使用最接近的时间（%1 年）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="289"/>
        <source>its mode could not be set (%1): it has the mode its file system shows</source>
        <translation>无法设置其权限（%1）：它使用其文件系统显示的权限</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="292"/>
        <source>changed while it was copied: copied again, as it is now</source>
        <translation>复制期间有过改动：已按其当前内容重新复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="303"/>
        <source>its source gained a setuid or setgid bit or a file capability: copied again, as these are never added to a copy in place</source>
        <translation>其源文件新增了 setuid 或 setgid 位或文件能力：已重新复制，因为这些从不就地添加到副本上</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="308"/>
        <source>moved within its disk: no data had to be copied</source>
        <translation>在同一磁盘内移动：无需复制数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="311"/>
        <source>replaced the target&apos;s older file of this name</source>
        <translation>已替换目标中同名的较旧文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="314"/>
        <source>replaced the target&apos;s newer file of this name, as chosen for existing files</source>
        <translation>已按对已存在文件的选择，替换目标中同名的较新文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="317"/>
        <source>replaced the target&apos;s file of this name and the same time</source>
        <translation>已替换目标中同名且修改时间相同的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="333"/>
        <source>copied as a file of its own: the target cannot hard-link it to %1 (%2)</source>
        <translation>已作为独立文件复制：目标无法将它硬链接到 %1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="336"/>
        <source>verification failed: the copy on disk differs from the source (%1); it was left in place</source>
        <translation>校验失败：磁盘上的副本与源文件不同（%1）；副本已保留原处</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="340"/>
        <source>differs from the manifest (%1)</source>
        <translation>与校验清单不符（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="341"/>
        <source>missing from the folder</source>
        <translation>文件夹中缺少此文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="342"/>
        <source>not a regular file: nothing to compare</source>
        <translation>不是普通文件：无可比较</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="343"/>
        <source>a link or a file stands for a folder on its path: not followed</source>
        <translation>其路径上的某个文件夹是链接或文件：未跟随</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="346"/>
        <source>cannot read it back: %1</source>
        <translation>无法读回：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="347"/>
        <source>the same, compared through the system&apos;s cache only, not read from the disk</source>
        <translation>内容一致，但仅经系统缓存比较，未从磁盘读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="351"/>
        <source>The checksum manifest could not be written: %1</source>
        <translation>无法写入校验清单：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="354"/>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="355"/>
        <source>cannot read %1: not a regular file</source>
        <translation>无法读取 %1：不是普通文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="358"/>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="359"/>
        <source>a line longer than %1 bytes</source>
        <translation>某行超过 %1 字节</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="360"/>
        <source>not a %1 checksum line</source>
        <translation>不是 %1 校验行</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="361"/>
        <source>a file name holds a NUL byte</source>
        <translation>文件名中含有 NUL 字节</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="362"/>
        <source>a path that leads out of the folder (absolute, or ..)</source>
        <translation>路径指向文件夹之外（绝对路径或 ..）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="368"/>
        <source>bad escape in a file name</source>
        <translation>文件名中的转义无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="369"/>
        <source>Ferry reads sha256, b3 and xxh128 checksums, not %1</source>
        <translation>Ferry 只读取 sha256、b3 和 xxh128 校验和，不读取 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="372"/>
        <source>the manifest lists no files, but the folder holds some</source>
        <translation>校验清单未列出任何文件，但该文件夹中有文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="375"/>
        <source>not a folder: %1</source>
        <translation>不是文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="376"/>
        <source>cannot open the folder %1: %2</source>
        <translation>无法打开文件夹 %1：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="377"/>
        <source>left behind by an interrupted run of Ferry</source>
        <translation>Ferry 之前中断的运行遗留下来的</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="378"/>
        <source>its worker process died while copying it (tried twice)</source>
        <translation>复制时其工作进程意外终止（已尝试两次）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="383"/>
        <source>The scan did not answer (a hung folder?) and was abandoned.</source>
        <translation>扫描没有响应（文件夹挂起？），已被放弃。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="390"/>
        <source>The target disk is full: no new files were started.</source>
        <translation>目标磁盘已满：不再开始复制新文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="393"/>
        <source>A worker pool did not shut down in time and was abandoned.</source>
        <translation>有一个工作进程池未能及时关闭，已被放弃。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="396"/>
        <source>%1: cannot set folder owner, mode or time: %2</source>
        <translation>%1：无法设置文件夹的所有者、权限或时间：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="399"/>
        <source>Folders found in the target that kept their own owner, mode and times, as each belongs to another user than its source folder and so may not be its copy: %1 (the first: %2)</source>
        <translation>目标中已有的文件夹保留了自己的所有者、权限和时间，因为它们各自属于与源文件夹不同的用户，可能不是其副本：%1 个（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="405"/>
        <source>Folders that could not keep their group, so their group permissions were cleared: %1 (the first: %2)</source>
        <translation>无法保留所属组、因此已清除组权限的文件夹：%1 个（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="410"/>
        <source>Folders kept without their setuid, setgid or sticky bit, which the target&apos;s file system refuses: %1 (the first: %2)</source>
        <translation>因目标的文件系统拒绝设置而未保留 setuid、setgid 或粘滞位的文件夹：%1 个（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="415"/>
        <source>The target&apos;s file system sets no modes (%1): copies have the modes it shows (the first: %2)</source>
        <translation>目标的文件系统不支持设置权限（%1）：副本使用它显示的权限（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="425"/>
        <source>Target folders of yours that this plan could not look into, as their mode does not let you enter them: %1 (the first: %2). The copy opens them to you, and may then replace files there, or a mirror delete them, that this plan does not list.</source>
        <translation>你自己的、但其权限不允许你进入、因而本计划无法查看其内容的目标文件夹：%1 个（第一个：%2）。复制时会为你打开这些文件夹，随后可能替换其中的文件，或在镜像时删除其中的文件，而本计划并未列出这些操作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="435"/>
        <source>Stopped (files written: %1): %2</source>
        <translation>已停止（已写入 %1 个文件）：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="436"/>
        <source>Source files that stayed, as they changed after the job began: %1 (the first: %2).</source>
        <translation>因在任务开始后有过改动而留在原处的源文件：%1 个（第一个：%2）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="440"/>
        <source>Source files that stayed, as their copies in the target, of the same size and time, do not hold their bytes: %1 (the first: %2).</source>
        <translation>因目标中大小和时间相同的副本与其内容不一致而留在原处的源文件：%1 个（第一个：%2）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="445"/>
        <source>Source files that stayed, as their copies, already in the target, lack their owner, permissions, extended attributes or ACLs: %1 (the first: %2). To move them, move again replacing existing files (--on-conflict overwrite; in the window, When a file exists: Replace).</source>
        <translation>因目标中已有的副本缺少源文件的所有者、权限、扩展属性或 ACL 而留在原处的源文件：%1 个（第一个：%2）。要移动它们，请在替换已存在文件的情况下再次移动（--on-conflict overwrite；在窗口中，“文件已存在时”选择“替换”）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="420"/>
        <source>Names of hard-linked files copied as files of their own, as the target cannot hard-link them: %1 (the first: %2)</source>
        <translation>因目标无法创建硬链接而作为独立文件复制的硬链接文件名：%1 个（第一个：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="431"/>
        <source>Extended attributes or ACLs could not be kept (entries: %1; the first error: %2)</source>
        <translation>未能保留扩展属性或 ACL（条目数：%1；第一个错误：%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="452"/>
        <source>Source files that stayed, as their copies are no longer in the target as they were copied (gone, or changed there): %1 (the first: %2).</source>
        <translation>因副本已不在目标中或已与复制时不同（被删除或被改动）而留在原处的源文件：%1 个（第一个：%2）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="457"/>
        <source>Source files that stayed, as their folder, in the source or the target, was moved or replaced meanwhile: %1 (the first: %2).</source>
        <translation>因所在文件夹（在源或目标中）期间被移动或替换而留在原处的源文件：%1 个（第一个：%2）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="462"/>
        <source>The copies could not be written out to the disk (%1): they may not all be there.</source>
        <translation>副本未能写入磁盘（%1）：可能并未全部落盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="210"/>
        <source>its folder could not be created: %1</source>
        <translation>无法创建其所在文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="214"/>
        <source>cannot create folder: %1</source>
        <translation>无法创建文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="168"/>
        <source>followed a symbolic link out of the source, to %1</source>
        <translation>跟随符号链接到了源文件夹之外：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="381"/>
        <source>worker error: %1</source>
        <translation>工作进程错误：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="28"/>
        <source>Source folder does not exist: %1</source>
        <translation>源文件夹不存在：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="29"/>
        <source>Source is not a folder: %1</source>
        <translation>源不是文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="30"/>
        <source>Cannot read the source folder: %1 (%2)</source>
        <translation>无法读取源文件夹：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="33"/>
        <source>Target exists and is not a folder: %1</source>
        <translation>目标已存在且不是文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="40"/>
        <source>Target folder is not writable: %1</source>
        <translation>目标文件夹不可写：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="41"/>
        <source>A mirror deletes what the source does not have: not in a system folder, a home folder or what holds one (%1). Choose or make a folder of its own for it (such as ~/Backup, or a folder on the backup disk).</source>
        <translation>镜像会删除源文件夹中没有的内容：不能在系统文件夹、主文件夹或包含主文件夹的文件夹中进行（%1）。请为镜像选择或新建一个专用文件夹（例如 ~/Backup，或备份盘上的一个文件夹）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="47"/>
        <source>Cannot create the target folder: %1</source>
        <translation>无法创建目标文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="53"/>
        <source>A link on the target&apos;s path was made by another user, or sits in a folder another user may change: it could lead the copy anywhere. Name the folder it leads to instead: %1</source>
        <translation>目标路径上的某个链接由其他用户创建，或位于其他用户可以修改的文件夹中：它可能把副本引向任何地方。请改为指定它所指向的文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="89"/>
        <source>Not enough space: the files found so far need more than the %2 free (at least %1: the count stops at the first byte too many).</source>
        <translation>空间不足：目前找到的文件所需空间已超过可用的 %2（至少 %1：超出的第一个字节处即停止计数）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="94"/>
        <source>Not enough room for new files in the target: %1 files and folders to make, but its file system can make only %2 more (it has no inodes for more, whatever space is free).</source>
        <translation>目标中没有足够的位置创建新文件：需要创建 %1 个文件和文件夹，但其文件系统只能再创建 %2 个（无论还有多少可用空间，它已没有更多的 inode）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="100"/>
        <source>Not enough room for new files in the target: its file system can make only %2 more files and folders (it has no inodes for more, whatever space is free), and the source holds more: %1 found so far.</source>
        <translation>目标中没有足够的位置创建新文件：其文件系统只能再创建 %2 个文件和文件夹（无论还有多少可用空间，它已没有更多的 inode），而源文件夹需要创建的更多：目前已找到 %1 个。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="176"/>
        <source>a folder on its path is not the one the job found there (replaced, or a link): not followed</source>
        <translation>路径上的某个文件夹已不是任务之前找到的那个（被替换，或是链接）：未跟随</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="194"/>
        <source>another name differs only in case, Unicode form or trailing dots: the target cannot tell</source>
        <translation>另一个文件的名称仅在大小写、Unicode 形式或末尾的点上不同，而目标无法区分它们</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="235"/>
        <source>larger than the target&apos;s file system holds in one file (%1); on FAT32 (vfat) that is 4 GiB less a byte</source>
        <translation>超过目标文件系统单个文件所能容纳的大小（%1）；在 FAT32（vfat）上为 4 GiB 减 1 字节</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="295"/>
        <source>the copy&apos;s owner differs from the source&apos;s</source>
        <translation>副本的所有者与源文件的不同</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="298"/>
        <source>its permissions, group or attributes changed, and its copy has other names: copied again, not changed in place</source>
        <translation>其权限、组或属性已更改，且其副本还有其他名称：已重新复制，而非就地修改</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="320"/>
        <source>replaced what the target held at this name, an entry of another type: %1</source>
        <translation>已替换目标中此名称处另一种类型的条目：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="323"/>
        <source>a file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="324"/>
        <source>a folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="325"/>
        <source>a symbolic link</source>
        <translation>符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="326"/>
        <source>a named pipe (FIFO)</source>
        <translation>命名管道（FIFO）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="327"/>
        <source>a socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="328"/>
        <source>a character device</source>
        <translation>字符设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="329"/>
        <source>a block device</source>
        <translation>块设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="330"/>
        <source>an entry of a type this system does not name</source>
        <translation>本系统无法识别其类型的条目</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="365"/>
        <source>a path that names a folder, not a file</source>
        <translation>路径指向文件夹，而不是文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="382"/>
        <source>Scanning stopped early: %1</source>
        <translation>扫描提前停止：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="386"/>
        <source>Progress channel lost (%1); job stopped.</source>
        <translation>进度通道已断开（%1）；任务已停止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="387"/>
        <source>A worker process (%1) died; its files are being retried.</source>
        <translation>工作进程（%1）意外终止；正在重试其文件。</translation>
    </message>
</context>
<context>
    <name>FiltersBox</name>
    <message>
        <location filename="../../app/ui/filters_box.py" line="47"/>
        <source>*.log, node_modules/</source>
        <translation>*.log, node_modules/</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="50"/>
        <source>Patterns as in .gitignore, separated by commas, relative to the source:
*.log  any file ending in .log
node_modules/  every folder of that name
/build  only build at the top of the source
**/cache/  cache folders at any depth
!keep.log  take back what an earlier pattern left out</source>
        <translation>与 .gitignore 相同的模式，用逗号分隔，相对于源文件夹：
*.log  所有以 .log 结尾的文件
node_modules/  所有同名文件夹
/build  仅源文件夹顶层的 build
**/cache/  任意层级的 cache 文件夹
!keep.log  恢复之前模式排除的内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="62"/>
        <source>e.g. 10M</source>
        <translation>例如 10M</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="63"/>
        <source>e.g. 2G</source>
        <translation>例如 2G</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="64"/>
        <source>e.g. 2024-01-31</source>
        <translation>例如 2024-01-31</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="75"/>
        <source>Only files modified after:</source>
        <translation>仅此时间之后修改的文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="60"/>
        <source>More f&amp;ilters</source>
        <translation>更多筛选(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="73"/>
        <source>Only files larger than:</source>
        <translation>仅大于此大小的文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="74"/>
        <source>Only files smaller than:</source>
        <translation>仅小于此大小的文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="79"/>
        <source>Skip matchi&amp;ng:</source>
        <translation>跳过匹配项(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="86"/>
        <source>Patterns of what to skip</source>
        <translation>要跳过的模式</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="87"/>
        <source>Only files larger than</source>
        <translation>仅大于此大小的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="88"/>
        <source>Only files smaller than</source>
        <translation>仅小于此大小的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="89"/>
        <source>Only files modified after</source>
        <translation>仅此时间之后修改的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="106"/>
        <source>Skip: “%1” reads as a comment: put a backslash before the #.</source>
        <translation>跳过：“%1”会被当作注释：请在 # 前加反斜杠。</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="111"/>
        <source>Skip: a pattern git would not accept either.</source>
        <translation>跳过：有一个模式不合规则（git 也不会接受）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="114"/>
        <source>Modified after</source>
        <translation>修改时间晚于</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="115"/>
        <source>Larger than</source>
        <translation>大于</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="116"/>
        <source>Smaller than</source>
        <translation>小于</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="119"/>
        <source>Larger than and Smaller than leave no file of any size.</source>
        <translation>“大于”和“小于”的组合不会留下任何大小的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/filters_box.py" line="131"/>
        <source>%1: cannot read “%2” (%3).</source>
        <translation>%1：无法识别“%2”（%3）。</translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="58"/>
        <source>Folder to copy (type, paste or drop)</source>
        <translation>要复制的文件夹（输入、粘贴或拖放）</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="61"/>
        <location filename="../../app/ui/folders_panel.py" line="87"/>
        <location filename="../../app/ui/folders_panel.py" line="204"/>
        <source>Folder to copy into</source>
        <translation>复制到的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="68"/>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="70"/>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="86"/>
        <source>Folder to copy</source>
        <translation>要复制的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="90"/>
        <source>Recent folders to copy</source>
        <translation>最近复制过的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="91"/>
        <source>Recent folders to copy into</source>
        <translation>最近复制到的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="132"/>
        <source>Recent folders</source>
        <translation>最近使用的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="272"/>
        <source>Type the full path of the folder to copy (it starts with /).</source>
        <translation>请输入要复制的文件夹的完整路径（以 / 开头）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="274"/>
        <source>Type the full path of the folder to copy into (it starts with /).</source>
        <translation>请输入复制到的文件夹的完整路径（以 / 开头）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="326"/>
        <source>Then delete from %2 what %1 lacks.</source>
        <translation>然后删除 %2 中有而 %1 中没有的内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="329"/>
        <source>Leaving out: %1.</source>
        <translation>排除：%1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="335"/>
        <source>There is no file to copy inside %1.</source>
        <translation>%1 中没有要复制的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="338"/>
        <source>Move everything inside %1 into %2.</source>
        <translation>将 %1 中的所有内容移动到 %2。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="340"/>
        <source>Move the %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的 %Ln 个文件（%3）移动到 %2。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="341"/>
        <source>Move more than %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的超过 %Ln 个文件（%3）移动到 %2。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="353"/>
        <source>Move the files inside %1?</source>
        <translation>移动 %1 中的文件吗？</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="355"/>
        <source>Move the %Ln file(s) inside %1?</source>
        <translation>
            <numerusform>移动 %1 中的 %Ln 个文件吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="356"/>
        <source>Move more than %Ln file(s) inside %1?</source>
        <translation>
            <numerusform>移动 %1 中的超过 %Ln 个文件吗？</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="362"/>
        <source>files outside the size or date limits</source>
        <translation>超出大小或日期限制的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="88"/>
        <location filename="../../app/ui/folders_panel.py" line="186"/>
        <source>Choose the folder to copy</source>
        <translation>选择要复制的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="62"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="64"/>
        <source>Bro&amp;wse…</source>
        <translation>浏览(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="89"/>
        <location filename="../../app/ui/folders_panel.py" line="195"/>
        <source>Choose where to copy it</source>
        <translation>选择复制到的位置</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="202"/>
        <source>Folder to copy into, e.g. %1</source>
        <translation>复制到的文件夹，例如 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="238"/>
        <source>No recent folders</source>
        <translation>没有最近使用的文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="345"/>
        <source>Copy the %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的 %Ln 个文件（%3）复制到 %2。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/folders_panel.py" line="346"/>
        <source>Copy more than %Ln file(s) (%3) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的超过 %Ln 个文件（%3）复制到 %2。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="304"/>
        <source>Choose a folder to copy and where to copy it.</source>
        <translation>请选择要复制的文件夹以及复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="318"/>
        <source>Now choose where to copy it.</source>
        <translation>现在请选择复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="322"/>
        <source>%1 (a new folder)</source>
        <translation>%1（新文件夹）</translation>
    </message>
    <message>
        <location filename="../../app/ui/folders_panel.py" line="343"/>
        <source>Copy everything inside %1 into %2.</source>
        <translation>将 %1 中的所有内容复制到 %2。</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../app/ui/format.py" line="82"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <location filename="../../app/ui/launch.py" line="141"/>
        <source>Both a source and a target folder are needed.</source>
        <translation>需要源文件夹和目标文件夹。</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <location filename="../../app/ui/log_model.py" line="85"/>
        <source>Verified, through the cache only</source>
        <translation>已校验（仅经缓存）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="87"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="88"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="89"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="90"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="91"/>
        <source>Run</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="145"/>
        <source>saved as %1</source>
        <translation>已保存为 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="306"/>
        <source>retry %1</source>
        <translation>重试 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="306"/>
        <source>first</source>
        <translation>首次</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../app/ui/log_panel.py" line="51"/>
        <source>Answer: &amp;replace</source>
        <translation>回答：替换(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="52"/>
        <source>Answer: &amp;skip</source>
        <translation>回答：跳过(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="53"/>
        <source>Answer: &amp;keep both</source>
        <translation>回答：保留两者(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="83"/>
        <source>E&amp;xport CSV…</source>
        <translation>导出 CSV(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="86"/>
        <source>S&amp;how:</source>
        <translation>显示(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="95"/>
        <source>Earlier job, before the folders or mode changed</source>
        <translation>这是更改文件夹或模式之前的上一次任务</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="116"/>
        <source>Files copied, skipped and failed</source>
        <translation>已复制、已跳过和失败的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="257"/>
        <source>All (%1)</source>
        <translation>全部（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="258"/>
        <source>Copied (%1)</source>
        <translation>已复制（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="259"/>
        <source>Skipped (%1)</source>
        <translation>已跳过（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="260"/>
        <source>Failed (%1)</source>
        <translation>失败（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="261"/>
        <source>Cancelled (%1)</source>
        <translation>已取消（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="262"/>
        <source>Planned (%1)</source>
        <translation>计划（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="263"/>
        <source>Deleted (%1)</source>
        <translation>已删除（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="264"/>
        <source>Verified (%1)</source>
        <translation>已校验（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="265"/>
        <source>Mismatch (%1)</source>
        <translation>不一致（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="266"/>
        <source>Stayed in the source (%1)</source>
        <translation>留在源文件夹中（%1）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/log_panel.py" line="300"/>
        <source>&amp;Copy path(s)</source>
        <translation>
            <numerusform>复制路径(&amp;C)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="302"/>
        <source>&amp;Open containing folder</source>
        <translation>打开所在文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="358"/>
        <source>Export the log</source>
        <translation>导出文件列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="358"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_panel.py" line="382"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/log_panel.py" line="394"/>
        <source>Saved %Ln row(s) to %1.</source>
        <translation>
            <numerusform>已将 %Ln 行保存到 %1。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="425"/>
        <source>Ferry</source>
        <translation>Ferry 文件夹复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="251"/>
        <source>Copying files</source>
        <translation>正在复制文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="263"/>
        <source>Verifying files</source>
        <translation>正在校验文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="287"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="313"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="335"/>
        <source>Move the %Ln item(s) that failed, from %1?</source>
        <translation>
            <numerusform>移动 %1 中失败的 %Ln 项吗？</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="368"/>
        <source>Ferry needs you</source>
        <translation>Ferry 需要你的决定</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="368"/>
        <source>A file already exists in the target.</source>
        <translation>目标中已存在同名文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="391"/>
        <source>The mirror did not start.</source>
        <translation>镜像未开始。</translation>
    </message>
</context>
<context>
    <name>OptionsPanel</name>
    <message>
        <location filename="../../app/ui/options_panel.py" line="55"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="62"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="63"/>
        <source>Move: remove each source file once it is copied</source>
        <translation>移动：每个源文件复制完成后即删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="64"/>
        <source>Mirror: also delete what the source does not have</source>
        <translation>镜像：同时删除源文件夹中没有的内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="71"/>
        <source>Ask me</source>
        <translation>每次询问</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="72"/>
        <source>Replace if the source is newer</source>
        <translation>源文件较新时替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="73"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="74"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="75"/>
        <source>Keep both</source>
        <translation>保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="78"/>
        <source>Follow symbolic &amp;links</source>
        <translation>跟随符号链接(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="80"/>
        <source>Fl&amp;ush each file to disk (slower, safer)</source>
        <translation>每个文件都立即写入磁盘（较慢，更安全）(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="82"/>
        <source>Verify after copyin&amp;g</source>
        <translation>复制后校验(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="85"/>
        <source>Read every copy back from the disk and compare it with the source</source>
        <translation>从磁盘读回每个副本，并与源文件比较</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="90"/>
        <source>Auto (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="91"/>
        <source>Save checksums to:</source>
        <translation>校验清单保存到：</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="94"/>
        <source>The file&apos;s extension chooses the checksum: .sha256 (sha256sum -c), .b3 (b3sum -c) or .xxh128 (xxhsum -c --strict), run in the target folder</source>
        <translation>文件扩展名决定校验算法：.sha256（sha256sum -c）、.b3（b3sum -c）或 .xxh128（xxhsum -c --strict），在目标文件夹中运行</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="100"/>
        <source>Checksum file</source>
        <translation>校验清单文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="104"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="106"/>
        <source>Choose the checksum file</source>
        <translation>选择校验清单文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="115"/>
        <source>&amp;Mode:</source>
        <translation>模式(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="118"/>
        <source>When a file &amp;exists:</source>
        <translation>文件已存在时(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="120"/>
        <source>Parallel wor&amp;kers:</source>
        <translation>并行工作进程(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="171"/>
        <source>Move cannot follow symbolic links: the files they lead to are not ours to remove.</source>
        <translation>移动时不能跟随符号链接：链接指向的文件不应由我们删除。</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="176"/>
        <source>Checksum files are .sha256, .b3 or .xxh128, not .%1: md5sum and the like could not check it.</source>
        <translation>校验清单文件应为 .sha256、.b3 或 .xxh128，而不是 .%1：md5sum 等工具无法校验它。</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="215"/>
        <source>SHA-256 checksums (*.sha256)</source>
        <translation>SHA-256 校验清单 (*.sha256)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="216"/>
        <source>BLAKE3 checksums (*.b3)</source>
        <translation>BLAKE3 校验清单 (*.b3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="217"/>
        <source>XXH3-128 checksums (*.xxh128)</source>
        <translation>XXH3-128 校验清单 (*.xxh128)</translation>
    </message>
    <message>
        <location filename="../../app/ui/options_panel.py" line="220"/>
        <source>Save checksums to</source>
        <translation>校验清单保存到</translation>
    </message>
</context>
<context>
    <name>OsError</name>
    <message>
        <location filename="../../app/ui/os_errors.py" line="22"/>
        <source>Operation not permitted</source>
        <translation>不允许的操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="23"/>
        <source>No such file or directory</source>
        <translation>没有那个文件或目录</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="24"/>
        <source>Input/output error</source>
        <translation>输入/输出错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="25"/>
        <source>No such device or address</source>
        <translation>没有那个设备或地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="26"/>
        <source>Bad file descriptor</source>
        <translation>错误的文件描述符</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="27"/>
        <source>Resource temporarily unavailable</source>
        <translation>资源暂时不可用</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="28"/>
        <source>Cannot allocate memory</source>
        <translation>无法分配内存</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="29"/>
        <source>Permission denied</source>
        <translation>权限不够</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="30"/>
        <source>Device or resource busy</source>
        <translation>设备或资源忙</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="31"/>
        <source>File exists</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="32"/>
        <source>Invalid cross-device link</source>
        <translation>无效的跨设备链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="33"/>
        <source>No such device</source>
        <translation>没有那个设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="34"/>
        <source>Not a directory</source>
        <translation>不是目录</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="35"/>
        <source>Is a directory</source>
        <translation>是一个目录</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="36"/>
        <source>Invalid argument</source>
        <translation>无效的参数</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="37"/>
        <source>Too many open files in system</source>
        <translation>系统中打开的文件过多</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="38"/>
        <source>Too many open files</source>
        <translation>打开的文件过多</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="39"/>
        <source>Text file busy</source>
        <translation>文本文件忙</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="40"/>
        <source>File too large</source>
        <translation>文件过大</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="41"/>
        <source>No space left on device</source>
        <translation>设备上没有空间</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="42"/>
        <source>Read-only file system</source>
        <translation>只读文件系统</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="43"/>
        <source>Too many links</source>
        <translation>链接过多</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="44"/>
        <source>Broken pipe</source>
        <translation>断开的管道</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="45"/>
        <source>File name too long</source>
        <translation>文件名过长</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="46"/>
        <source>Function not implemented</source>
        <translation>函数未实现</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="47"/>
        <source>Directory not empty</source>
        <translation>目录非空</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="48"/>
        <source>Too many levels of symbolic links</source>
        <translation>符号链接的层数过多</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="49"/>
        <source>No data available</source>
        <translation>没有可用的数据</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="50"/>
        <source>Value too large for defined data type</source>
        <translation>对已定义的数据类型来说值过大</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="51"/>
        <source>Invalid or incomplete multibyte or wide character</source>
        <translation>无效或不完整的多字节字符或宽字符</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="52"/>
        <source>Operation not supported</source>
        <translation>不支持的操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="53"/>
        <source>Transport endpoint is not connected</source>
        <translation>传输端点尚未连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="54"/>
        <source>Connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="55"/>
        <source>Connection reset by peer</source>
        <translation>连接被对方重置</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="56"/>
        <source>Host is down</source>
        <translation>主机已关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="57"/>
        <source>Stale file handle</source>
        <translation>过时的文件句柄</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="58"/>
        <source>Disk quota exceeded</source>
        <translation>超出磁盘配额</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="59"/>
        <source>Structure needs cleaning</source>
        <translation>结构需要清理</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="60"/>
        <source>No medium found</source>
        <translation>找不到介质</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="61"/>
        <source>Remote I/O error</source>
        <translation>远程输入/输出错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="62"/>
        <source>Interrupted system call</source>
        <translation>被中断的系统调用</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="63"/>
        <source>Bad message</source>
        <translation>错误的消息</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="64"/>
        <source>Required key not available</source>
        <translation>所需的密钥不可用</translation>
    </message>
    <message>
        <location filename="../../app/ui/os_errors.py" line="90"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>Outcome</name>
    <message>
        <location filename="../../app/ui/outcome.py" line="53"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="54"/>
        <source>Kept both</source>
        <translation>已保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="55"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="56"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="57"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="58"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="59"/>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="60"/>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="61"/>
        <source>Verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="62"/>
        <source>Mismatch</source>
        <translation>不一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="63"/>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="71"/>
        <source>Will copy</source>
        <translation>将复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="72"/>
        <source>Will replace</source>
        <translation>将替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="73"/>
        <source>Will keep both</source>
        <translation>将保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="74"/>
        <source>Will skip</source>
        <translation>将跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="75"/>
        <source>Will delete</source>
        <translation>将删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="76"/>
        <source>Will link</source>
        <translation>将建立链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="77"/>
        <source>Will ask</source>
        <translation>将询问</translation>
    </message>
    <message>
        <location filename="../../app/ui/outcome.py" line="92"/>
        <source>stopped by Cancel; no partial file was left</source>
        <translation>因取消而中止；未留下不完整的文件</translation>
    </message>
</context>
<context>
    <name>PlanGate</name>
    <message numerus="yes">
        <location filename="../../app/ui/plan_gate.py" line="74"/>
        <source>The mirror did not start: its preview found %Ln item(s) it could not copy.</source>
        <translation>
            <numerusform>镜像未开始：预览发现 %Ln 项无法复制。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/plan_gate.py" line="97"/>
        <source>Delete %Ln entry(ies) in the target that are not in the source?</source>
        <translation>
            <numerusform>删除目标中源文件夹没有的 %Ln 项吗？</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="60"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="88"/>
        <source>Progress of the whole copy</source>
        <translation>整体复制进度</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="89"/>
        <source>Progress of the current file</source>
        <translation>当前文件的进度</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="90"/>
        <source>Speed graph</source>
        <translation>速度图</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="115"/>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="115"/>
        <source>Reading the checksums…</source>
        <translation>正在读取校验清单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="214"/>
        <source>Paused — deleting what the source does not have: %1 deleted</source>
        <translation>已暂停 — 正在删除源文件夹中没有的内容：已删除 %1 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="216"/>
        <source>Deleting what the source does not have: %1 deleted</source>
        <translation>正在删除源文件夹中没有的内容：已删除 %1 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="193"/>
        <source>%1 of %2 files</source>
        <translation>%1 / %2 个文件</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="183"/>
        <source>Copy: %Ln file(s), %2 · average %3</source>
        <translation>
            <numerusform>复制：%Ln 个文件，%2 · 平均 %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="194"/>
        <source>%1 of %Ln file(s)</source>
        <translation>
            <numerusform>%1 / %Ln 个文件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="224"/>
        <source>Paused — removing moved sources: %1</source>
        <translation>已暂停 — 删除已移动的源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="227"/>
        <source>Moved sources removed: %1 — flushing to disk</source>
        <translation>已删除已移动的源文件：%1 — 正在写入磁盘</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="230"/>
        <source>Removing moved sources: %1</source>
        <translation>正在删除已移动的源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="237"/>
        <location filename="../../app/ui/progress_panel.py" line="257"/>
        <location filename="../../app/ui/progress_panel.py" line="287"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="240"/>
        <source>Paused — verifying: %1</source>
        <translation>已暂停 — 校验：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="246"/>
        <location filename="../../app/ui/progress_panel.py" line="264"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="247"/>
        <source>Verifying: %1</source>
        <translation>正在校验：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="297"/>
        <source>Ferry</source>
        <translation>Ferry 文件夹复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="299"/>
        <source>Cancelling — Ferry</source>
        <translation>正在取消 — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="301"/>
        <source>Verifying — %1% — Ferry</source>
        <translation>正在校验 — %1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="307"/>
        <source>Removing moved sources — %1% — Ferry</source>
        <translation>正在删除已移动的源文件 — %1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="303"/>
        <source>Waiting for you — %1% — Ferry</source>
        <translation>等待你的选择 — %1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="305"/>
        <source>Paused — %1% — Ferry</source>
        <translation>已暂停 — %1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="309"/>
        <source>Mirroring — %1% — Ferry</source>
        <translation>正在镜像 — %1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="310"/>
        <source>%1% — Ferry</source>
        <translation>%1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="260"/>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="267"/>
        <source>Flushing to disk — %1</source>
        <translation>正在写入磁盘 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/progress_panel.py" line="277"/>
        <source>Copying %1</source>
        <translation>正在复制 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/progress_panel.py" line="279"/>
        <source>(and %Ln more)</source>
        <translation>
            <numerusform>（另有 %Ln 个）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SpeedGraph</name>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="47"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="55"/>
        <source>Paused, peak %1</source>
        <translation>已暂停，峰值 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="57"/>
        <source>Now %1, peak %2</source>
        <translation>当前 %1，峰值 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="123"/>
        <source>peak %1</source>
        <translation>峰值 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/speed_graph.py" line="131"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="74"/>
        <source>Files that could not be copied</source>
        <translation>无法复制的文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="80"/>
        <source>Retr&amp;y failed</source>
        <translation>重试失败项(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="83"/>
        <source>&amp;Open target folder</source>
        <translation>打开目标文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="105"/>
        <source>%1 to copy</source>
        <translation>%1 个待复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="106"/>
        <source>%1 to replace</source>
        <translation>%1 个待替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="107"/>
        <source>%1 to keep both</source>
        <translation>%1 个待保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="108"/>
        <source>%1 to link</source>
        <translation>%1 个待链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="109"/>
        <source>%1 to delete</source>
        <translation>%1 个待删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="110"/>
        <source>%1 to skip</source>
        <translation>%1 个待跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="111"/>
        <source>%1 to ask about</source>
        <translation>%1 个待询问</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="115"/>
        <source>%1 up to date but for mode, group or attributes</source>
        <translation>%1 个已是最新，但需重新设置权限、所属组或属性</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="117"/>
        <source>, </source>
        <comment>between a plan&apos;s counts</comment>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="118"/>
        <source>nothing to do</source>
        <translation>无需任何操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="119"/>
        <source>%1 to write</source>
        <translation>待写入 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="125"/>
        <source>%1 excluded</source>
        <translation>已排除 %1 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="127"/>
        <source>%1 moved, %2 stayed in the source</source>
        <translation>已移动 %1 个，%2 个留在源文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="129"/>
        <source>%1 to move, %2 to stay in the source</source>
        <translation>将移动 %1 个，%2 个将留在源文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="132"/>
        <source>%1 deleted from the target</source>
        <translation>已从目标删除 %1 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="146"/>
        <source>Nothing was copied: %1</source>
        <translation>未复制任何内容：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="149"/>
        <source>Preview: nothing was written. Start does what it lists.</source>
        <translation>预览：未写入任何内容。“开始”将执行所列操作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="150"/>
        <source>Preview done.</source>
        <translation>预览完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="153"/>
        <source>Cancelled. Files already copied are complete; nothing is half-written.</source>
        <translation>已取消。已复制的文件都是完整的，没有写了一半的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="155"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="158"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="161"/>
        <source>Stopped: the target disk is full. Make room, then press Start: it copies what is missing.</source>
        <translation>已停止：目标磁盘已满。请腾出空间，然后按“开始”：它会复制缺少的内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="164"/>
        <source>Stopped: the target disk is full.</source>
        <translation>已停止：目标磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="167"/>
        <source>Done, with failures.</source>
        <translation>完成，但有失败项。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="170"/>
        <source>Done, but %Ln source file(s) stayed: their copies could not take their place (why below).</source>
        <translation>
            <numerusform>完成，但有 %Ln 个源文件留在原处：它们的副本无法取代它们（原因见下）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="175"/>
        <source>Done, with files left in the source.</source>
        <translation>完成，但有文件留在源文件夹中。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="180"/>
        <source>Done. Everything is on disk.</source>
        <translation>完成。所有数据都已写入磁盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="183"/>
        <source>%1 copied, %2 skipped, %3 failed · %4 in %5</source>
        <translation>已复制 %1 个，跳过 %2 个，失败 %3 个 · %5 内复制 %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="194"/>
        <source>average %1</source>
        <translation>平均 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="178"/>
        <location filename="../../app/ui/summary_panel.py" line="181"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="166"/>
        <source>Done, but %Ln item(s) could not be copied.</source>
        <translation>
            <numerusform>完成，但有 %Ln 项无法复制。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="177"/>
        <source>Nothing copied: the filters left out everything.</source>
        <translation>未复制任何内容：筛选条件排除了所有内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="200"/>
        <source>%1 verified from the disk, %2 mismatched</source>
        <translation>已从磁盘校验 %1 个，不一致 %2 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="208"/>
        <source>not copied: %1 (cancelled)</source>
        <translation>未复制：%1（已取消）</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="210"/>
        <source>not copied: at least %1 (cancelled)</source>
        <translation>未复制：至少 %1（已取消）</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="214"/>
        <source>not started: %1</source>
        <translation>未开始：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="216"/>
        <source>not started: at least %1</source>
        <translation>未开始：至少 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="234"/>
        <source>%1 compared through the system&apos;s cache only, not read from the disk</source>
        <translation>%1 个仅经系统缓存比较，未从磁盘读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="243"/>
        <source>The check stopped: %1</source>
        <translation>校验已中止：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="244"/>
        <source>Verifying stopped.</source>
        <translation>校验已中止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="246"/>
        <source>Nothing was checked: %1</source>
        <translation>未检查任何文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="249"/>
        <source>Verifying cancelled.</source>
        <translation>校验已取消。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="252"/>
        <source>%Ln file(s) differ from the checksums or are missing.</source>
        <translation>
            <numerusform>有 %Ln 个文件与校验清单不符或缺失。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="254"/>
        <source>Verified, with mismatches.</source>
        <translation>校验完成，但有不一致。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="256"/>
        <source>All %Ln file(s) match their checksums.</source>
        <translation>
            <numerusform>全部 %Ln 个文件均与校验清单一致。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="257"/>
        <source>Verified.</source>
        <translation>校验完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/summary_panel.py" line="260"/>
        <source>%1 verified, %2 mismatched, %3 missing · in %4</source>
        <translation>已校验 %1 个，不一致 %2 个，缺失 %3 个 · 用时 %4</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/summary_panel.py" line="294"/>
        <source>… and %Ln more (filter the log by Failed)</source>
        <translation>
            <numerusform>… 另有 %Ln 个（在文件列表中筛选“失败”查看）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerifyFolder</name>
    <message>
        <location filename="../../app/ui/verify_folder.py" line="22"/>
        <source>Verify a folder: choose the checksum file</source>
        <translation>校验文件夹：选择校验清单文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/verify_folder.py" line="24"/>
        <source>Checksum files (*.sha256 *.b3 *.xxh128 *.blake3 *.b3sum *.sha256sum *SUMS);;All files (*)</source>
        <translation>校验清单 (*.sha256 *.b3 *.xxh128 *.blake3 *.b3sum *.sha256sum *SUMS);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/verify_folder.py" line="36"/>
        <source>Choose the folder to check against %1</source>
        <translation>选择要按 %1 检查的文件夹</translation>
    </message>
</context>
</TS>
