<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>StatusBar</name>
    <message numerus="yes">
        <source>%n token(s) in this conversation</source>
        <translation>
            <numerusform>%n token in this conversation</numerusform>
            <numerusform>%n tokens in this conversation</numerusform>
        </translation>
    </message>
</context>
</TS>
