; test: HLT with interrupts off is a dead guest: mvm stops with status 3 and says where
; exit: 3
; debugcon: before the end
; stderr: ^mvm: guest is dead: HLT with interrupts disabled at 0000:7c[0-9a-f]{2}$
org 7C00h
%include "lib.inc"
start:
	print "before the end", 10
	cli
	hlt
	print "after the end", 10
	exit 0
