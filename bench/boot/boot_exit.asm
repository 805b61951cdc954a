; boot_exit.asm: a boot sector that ends the VM at its first instructions, so the time from
; start to exit is the time from start to the boot sector: QEMU leaves through its
; isa-debug-exit device (port F4h: status AL * 2 + 1 = 1), mvm, which leaves port F4h
; unclaimed, through SVC 2 (status 0).
	org 7C00h
	bits 16
	xor al, al
	out 0F4h, al
	hlt			; SVC 2: the exit
	db 2, 0FDh
	times 510 - ($ - $$) db 0
	dw 0AA55h
