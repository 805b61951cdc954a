; test: --timeout stops a guest after that much virtual time: status 124
; args: --timeout 0.25 --no-pacing
; exit: 124
; debugcon: idling
; stderr: ^mvm: timeout: 0\.250 s of virtual time passed at 0000:7c[0-9a-f]{2}$
org 7C00h
%include "lib.inc"
start:
	print "idling", 10
	sti
.idle:	hlt
	jmp .idle
