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
    <name>EngineText</name>
    <message>
        <location filename="../../app/ui/reasons.py" line="51"/>
        <source>not a regular file: a named pipe (FIFO), skipped</source>
        <translation>不是普通文件：命名管道（FIFO），已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="52"/>
        <source>not a regular file: a socket, skipped</source>
        <translation>不是普通文件：套接字，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="53"/>
        <source>not a regular file: a character device, skipped</source>
        <translation>不是普通文件：字符设备，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="56"/>
        <source>not a regular file: a block device, skipped</source>
        <translation>不是普通文件：块设备，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="59"/>
        <source>not a regular file, skipped</source>
        <translation>不是普通文件，已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="60"/>
        <source>broken symbolic link</source>
        <translation>符号链接已损坏</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="61"/>
        <source>symbolic link loop: folder already copied</source>
        <translation>符号链接循环：该文件夹已复制过</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="34"/>
        <source>Target is the source folder itself.</source>
        <translation>目标就是源文件夹本身。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="35"/>
        <source>Target is inside the source folder; the copy would never end.</source>
        <translation>目标位于源文件夹内部，复制将永远不会结束。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="79"/>
        <source>the target has a file where this folder goes</source>
        <translation>目标中此文件夹的位置上已有一个文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="82"/>
        <source>the target has a symbolic link where this folder goes</source>
        <translation>目标中此文件夹的位置上已有一个符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="46"/>
        <source>already up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="71"/>
        <source>changed during copy</source>
        <translation>复制期间文件发生了变化</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="49"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="72"/>
        <source>became a symbolic link during the copy</source>
        <translation>复制期间变成了符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="76"/>
        <source>a folder of that name exists in the target</source>
        <translation>目标中已有同名文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="48"/>
        <source>exists in the target</source>
        <translation>目标中已存在</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="40"/>
        <source>Not enough space in the target: %1 to write, %2 free.</source>
        <translation>目标空间不足：需要写入 %1，可用 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="43"/>
        <source>Not enough space: at least %1 to write (scan not finished), %2 free.</source>
        <translation>空间不足：至少需要写入 %1（扫描尚未完成），可用 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="47"/>
        <source>target is newer, kept</source>
        <translation>目标较新，已保留</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="50"/>
        <source>hard link to %1</source>
        <translation>硬链接到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="62"/>
        <source>a symbolic link leads into the target folder: not followed</source>
        <translation>符号链接指向目标文件夹内部：未跟随</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="68"/>
        <source>vanished from the source before it could be copied</source>
        <translation>复制前已从源中消失</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="73"/>
        <source>a folder on its path was replaced during the copy: not followed</source>
        <translation>其路径上的某个文件夹在复制期间被替换：未跟随</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="85"/>
        <source>another name differs only in case or Unicode form: the target cannot tell</source>
        <translation>另一个文件的名称仅在大小写或 Unicode 形式上不同，而目标无法区分它们</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="88"/>
        <source>a file of this name appeared in the target during the copy; it was kept</source>
        <translation>复制期间目标中出现了同名文件；已保留该文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="91"/>
        <source>no free name for a renamed copy</source>
        <translation>找不到可用于重命名副本的名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="92"/>
        <source>the copy it should be linked to was replaced in the target</source>
        <translation>它应链接到的副本已在目标中被替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="96"/>
        <source>cannot read the folder: %1</source>
        <translation>无法读取该文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="97"/>
        <source>cannot read its details: %1</source>
        <translation>无法读取其信息：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="98"/>
        <source>cannot open its folder: %1</source>
        <translation>无法打开其所在文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="100"/>
        <source>cannot open the source file: %1</source>
        <translation>无法打开源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="101"/>
        <source>cannot read the source file: %1</source>
        <translation>无法读取源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="102"/>
        <source>cannot create the copy: %1</source>
        <translation>无法创建副本：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="103"/>
        <source>cannot write the copy: %1</source>
        <translation>无法写入副本：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="104"/>
        <source>cannot set the copy&apos;s permissions or times: %1</source>
        <translation>无法设置副本的权限或时间：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="107"/>
        <source>cannot give the copy its name: %1</source>
        <translation>无法为副本命名：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="108"/>
        <source>cannot create the hard link: %1</source>
        <translation>无法创建硬链接：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="109"/>
        <source>the target disk is full: %1</source>
        <translation>目标磁盘已满：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="110"/>
        <source>unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="111"/>
        <source>cannot delete it from the target: %1</source>
        <translation>无法从目标中删除：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="112"/>
        <source>copied, but the source could not be removed: %1</source>
        <translation>已复制，但无法删除源文件：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="115"/>
        <source>copied without its setuid/setgid bits: its owner could not be kept</source>
        <translation>已复制，但未保留 setuid/setgid 位：无法保留其所有者</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="118"/>
        <source>its group could not be kept: group permissions were cleared</source>
        <translation>无法保留其所属组：已清除组权限</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="121"/>
        <source>verification failed: the copy on disk differs from the source (%1); it was left in place</source>
        <translation>校验失败：磁盘上的副本与源文件不同（%1）；副本已保留原处</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="125"/>
        <source>differs from the manifest (%1)</source>
        <translation>与校验清单不符（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="126"/>
        <source>missing from the folder</source>
        <translation>文件夹中缺少此文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="127"/>
        <source>cannot read it back: %1</source>
        <translation>无法读回：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="128"/>
        <source>The checksum manifest could not be written: %1</source>
        <translation>无法写入校验清单：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="131"/>
        <source>its worker process died while copying it (tried twice)</source>
        <translation>复制时其工作进程意外终止（已尝试两次）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="136"/>
        <source>The scan did not answer (a hung folder?) and was abandoned.</source>
        <translation>扫描没有响应（文件夹挂起？），已被放弃。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="143"/>
        <source>The target disk is full: no new files were started.</source>
        <translation>目标磁盘已满：不再开始复制新文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="146"/>
        <source>A worker pool did not shut down in time and was abandoned.</source>
        <translation>有一个工作进程池未能及时关闭，已被放弃。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="149"/>
        <source>%1: cannot set folder owner, mode or time: %2</source>
        <translation>%1：无法设置文件夹的所有者、权限或时间：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="152"/>
        <source>Extended attributes or ACLs of %1 entries could not be kept: %2</source>
        <translation>有 %1 个项目的扩展属性或 ACL 未能保留：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="155"/>
        <source>Stopped after %1 files were written: %2</source>
        <translation>已写入 %1 个文件后停止：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="95"/>
        <source>its folder could not be created: %1</source>
        <translation>无法创建其所在文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="99"/>
        <source>cannot create folder: %1</source>
        <translation>无法创建文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="65"/>
        <source>followed a symbolic link out of the source, to %1</source>
        <translation>跟随符号链接到了源文件夹之外：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="134"/>
        <source>worker error: %1</source>
        <translation>工作进程错误：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="26"/>
        <source>Source folder does not exist: %1</source>
        <translation>源文件夹不存在：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="27"/>
        <source>Source is not a folder: %1</source>
        <translation>源不是文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="28"/>
        <source>Cannot read the source folder: %1 (%2)</source>
        <translation>无法读取源文件夹：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="31"/>
        <source>Target exists and is not a folder: %1</source>
        <translation>目标已存在且不是文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="38"/>
        <source>Target folder is not writable: %1</source>
        <translation>目标文件夹不可写：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="39"/>
        <source>Cannot create the target folder: %1</source>
        <translation>无法创建目标文件夹：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="135"/>
        <source>Scanning stopped early: %1</source>
        <translation>扫描提前停止：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="139"/>
        <source>Progress channel lost (%1); job stopped.</source>
        <translation>进度通道已断开（%1）；任务已停止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/reasons.py" line="140"/>
        <source>A worker process (%1) died; its files are being retried.</source>
        <translation>工作进程（%1）意外终止；正在重试其文件。</translation>
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
        <location filename="../../app/ui/log_model.py" line="46"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="47"/>
        <source>Kept both</source>
        <translation>已保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="48"/>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="49"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="50"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="52"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="52"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="52"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="52"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/log_model.py" line="99"/>
        <source>saved as %1</source>
        <translation>另存为 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="98"/>
        <location filename="../../app/ui/main_window.py" line="784"/>
        <location filename="../../app/ui/main_window.py" line="793"/>
        <source>Ferry</source>
        <translation>Ferry 文件夹复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="112"/>
        <source>Folder to copy (type, paste or drop)</source>
        <translation>要复制的文件夹（输入、粘贴或拖放）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="115"/>
        <location filename="../../app/ui/main_window.py" line="439"/>
        <source>Folder to copy into</source>
        <translation>复制到的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="116"/>
        <location filename="../../app/ui/main_window.py" line="118"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="122"/>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="124"/>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="150"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="157"/>
        <source>Ask me</source>
        <translation>询问我</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="158"/>
        <source>Replace if the source is newer</source>
        <translation>源文件较新时替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="159"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="160"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="161"/>
        <source>Keep both</source>
        <translation>保留两者</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="164"/>
        <source>Follow symbolic links</source>
        <translation>跟随符号链接</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="166"/>
        <source>Flush each file to disk (slower, safer)</source>
        <translation>每个文件都写入磁盘（较慢，更安全）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="172"/>
        <source>Automatic (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="178"/>
        <source>When a file exists:</source>
        <translation>文件已存在时：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="179"/>
        <source>Parallel workers:</source>
        <translation>并行工作进程：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="187"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="189"/>
        <source>Start copying (Ctrl+Enter)</source>
        <translation>开始复制（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="191"/>
        <location filename="../../app/ui/main_window.py" line="562"/>
        <location filename="../../app/ui/main_window.py" line="619"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="195"/>
        <source>Pause or resume (Ctrl+P)</source>
        <translation>暂停或继续（Ctrl+P）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="196"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="200"/>
        <source>Stop copying (Esc)</source>
        <translation>停止复制（Esc）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="213"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="263"/>
        <source>&amp;Retry failed</source>
        <translation>重试失败项(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="266"/>
        <source>Open target folder</source>
        <translation>打开目标文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="290"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="292"/>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="337"/>
        <source>Recent folders</source>
        <translation>最近使用的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="421"/>
        <source>Choose the folder to copy</source>
        <translation>选择要复制的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="430"/>
        <source>Choose where to copy it</source>
        <translation>选择复制到的位置</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="437"/>
        <source>Folder to copy into, e.g. %1</source>
        <translation>复制到的文件夹，例如 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="460"/>
        <source>No recent folders</source>
        <translation>没有最近使用的文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="487"/>
        <source>The source folder does not exist.</source>
        <translation>源文件夹不存在。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="489"/>
        <source>The source is a file, not a folder.</source>
        <translation>源是一个文件，而不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="493"/>
        <source>The target is a file, not a folder.</source>
        <translation>目标是一个文件，而不是文件夹。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="497"/>
        <source>The target is the source folder itself.</source>
        <translation>目标就是源文件夹本身。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="499"/>
        <source>The target is inside the source folder; the copy would never end.</source>
        <translation>目标位于源文件夹内部，复制将永远不会结束。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="510"/>
        <source>Choose a folder to copy and where to copy it.</source>
        <translation>请选择要复制的文件夹以及复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="521"/>
        <source>Now choose where to copy it.</source>
        <translation>现在请选择复制到的位置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="525"/>
        <source>%1 (a new folder)</source>
        <translation>%1（新文件夹）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="528"/>
        <source>Copy everything inside %1 into %2.</source>
        <translation>将 %1 中的所有内容复制到 %2。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="530"/>
        <source>Copy the %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中的 %Ln 个文件复制到 %2。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="532"/>
        <source>Copy more than %Ln file(s) inside %1 into %2.</source>
        <translation>
            <numerusform>将 %1 中超过 %Ln 个文件复制到 %2。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="598"/>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="614"/>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="616"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="634"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="666"/>
        <source>%1% — Ferry</source>
        <translation>%1% — Ferry</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="671"/>
        <source>%1 of %2 files</source>
        <translation>%1 / %2 个文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="674"/>
        <location filename="../../app/ui/main_window.py" line="706"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="681"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="684"/>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="686"/>
        <source>Flushing to disk — %1</source>
        <translation>正在写入磁盘 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="696"/>
        <source>Copying %1</source>
        <translation>正在复制 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="698"/>
        <source>(and %n more)</source>
        <translation>
            <numerusform>（另有 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="725"/>
        <source>All (%1)</source>
        <translation>全部（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="726"/>
        <source>Copied (%1)</source>
        <translation>已复制（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="727"/>
        <source>Skipped (%1)</source>
        <translation>已跳过（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="728"/>
        <source>Failed (%1)</source>
        <translation>失败（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="753"/>
        <source>Ferry needs you</source>
        <translation>Ferry 需要您的决定</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="753"/>
        <source>A file already exists in the target.</source>
        <translation>目标中已存在同名文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="800"/>
        <source>Nothing was copied: %1</source>
        <translation>未复制任何内容：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="804"/>
        <source>Cancelled. Files already copied are complete; nothing is half-written.</source>
        <translation>已取消。已复制的文件都是完整的，没有写了一半的文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="806"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="808"/>
        <source>Done, but %n file(s) could not be copied.</source>
        <translation>
            <numerusform>完成，但有 %n 个文件无法复制。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="809"/>
        <source>Done, with failures.</source>
        <translation>完成，但有失败项。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="811"/>
        <source>Done. Everything is on disk.</source>
        <translation>完成。所有数据都已写入磁盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="812"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="815"/>
        <source>%1 copied, %2 skipped, %3 failed · %4 in %5 · average %6</source>
        <translation>已复制 %1 个，跳过 %2 个，失败 %3 个 · %5 内复制 %4 · 平均 %6</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="836"/>
        <source>… and %n more (filter the log by Failed)</source>
        <translation>
            <numerusform>… 另有 %n 个（在日志中筛选“失败”查看）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="893"/>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="894"/>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="918"/>
        <source>Export the log</source>
        <translation>导出日志</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="920"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="932"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="954"/>
        <source>Cancel the copy?</source>
        <translation>取消复制？</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="955"/>
        <source>A copy is running. Cancel it and close Ferry?</source>
        <translation>复制正在进行。要取消复制并关闭 Ferry 吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="960"/>
        <source>Cancel copy and close</source>
        <translation>取消复制并关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="961"/>
        <source>Keep copying</source>
        <translation>继续复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="980"/>
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
