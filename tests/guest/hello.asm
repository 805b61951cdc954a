; test: the debug console (port E9h) carries the guest's bytes to the host; SVC 2 ends the VM
; debugcon: Hello from the guest
; stderr-empty
org 7C00h
%include "lib.inc"
start:
	print "Hello from the guest", 10
	exit 0
