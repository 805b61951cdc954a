; Not a test by itself: the command-line tests stop it with a signal.
org 7C00h
%include "lib.inc"
start:
	print "idling", 10
	sti
.idle:	hlt
	jmp .idle
