<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ChatTransfer</name>
    <message numerus="yes">
        <source>Imported “%1” as chat %2 (%n message(s)).</source>
        <translation>
            <numerusform>Imported “%1” as chat %2 (%n message).</numerusform>
            <numerusform>Imported “%1” as chat %2 (%n messages).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataFolder</name>
    <message numerus="yes">
        <source>%n conversation(s) could be recovered from it.</source>
        <translation>
            <numerusform>%n conversation could be recovered from it.</numerusform>
            <numerusform>%n conversations could be recovered from it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HubMessages</name>
    <message numerus="yes">
        <source>Could not download from %1 (%2), %n attempt(s) made. Check the network connection and try again: the download resumes where it stopped.</source>
        <translation>
            <numerusform>Could not download from %1 (%2), %n attempt made. Check the network connection and try again: the download resumes where it stopped.</numerusform>
            <numerusform>Could not download from %1 (%2), %n attempts made. Check the network connection and try again: the download resumes where it stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 sent no data for %2 s, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 sent no data for %2 s, %n attempt made. Try again later: the download resumes where it stopped.</numerusform>
            <numerusform>%1 sent no data for %2 s, %n attempts made. Try again later: the download resumes where it stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 answered with HTTP status %2, %n attempt(s) made. Try again later: the download resumes where it stopped.</source>
        <translation>
            <numerusform>%1 answered with HTTP status %2, %n attempt made. Try again later: the download resumes where it stopped.</numerusform>
            <numerusform>%1 answered with HTTP status %2, %n attempts made. Try again later: the download resumes where it stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message numerus="yes">
        <source>%n token(s) in this conversation</source>
        <translation>
            <numerusform>%n token in this conversation</numerusform>
            <numerusform>%n tokens in this conversation</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
</TS>
