# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'objective_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_ObjectiveDialog(object):
    def setupUi(self, ObjectiveDialog):
        if not ObjectiveDialog.objectName():
            ObjectiveDialog.setObjectName(u"ObjectiveDialog")
        ObjectiveDialog.resize(560, 320)
        self.mainLayout = QVBoxLayout(ObjectiveDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.placement = QLabel(ObjectiveDialog)
        self.placement.setObjectName(u"placement")
        self.placement.setWordWrap(True)

        self.mainLayout.addWidget(self.placement)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.codeLabel = QLabel(ObjectiveDialog)
        self.codeLabel.setObjectName(u"codeLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.codeLabel)

        self.code = QLineEdit(ObjectiveDialog)
        self.code.setObjectName(u"code")
        self.code.setMaxLength(40)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.code)

        self.titleLabel = QLabel(ObjectiveDialog)
        self.titleLabel.setObjectName(u"titleLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.titleLabel)

        self.title = QLineEdit(ObjectiveDialog)
        self.title.setObjectName(u"title")
        self.title.setMaxLength(500)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.title)

        self.descriptionLabel = QLabel(ObjectiveDialog)
        self.descriptionLabel.setObjectName(u"descriptionLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.descriptionLabel)

        self.description = QPlainTextEdit(ObjectiveDialog)
        self.description.setObjectName(u"description")
        self.description.setTabChangesFocus(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.description)


        self.mainLayout.addLayout(self.form)

        self.errorSummary = QLabel(ObjectiveDialog)
        self.errorSummary.setObjectName(u"errorSummary")
        self.errorSummary.setWordWrap(True)

        self.mainLayout.addWidget(self.errorSummary)

        self.buttonBox = QDialogButtonBox(ObjectiveDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.codeLabel.setBuddy(self.code)
        self.titleLabel.setBuddy(self.title)
        self.descriptionLabel.setBuddy(self.description)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ObjectiveDialog)

        QMetaObject.connectSlotsByName(ObjectiveDialog)
    # setupUi

    def retranslateUi(self, ObjectiveDialog):
        ObjectiveDialog.setWindowTitle(QCoreApplication.translate("ObjectiveDialog", u"Objectif", None))
        self.codeLabel.setText(QCoreApplication.translate("ObjectiveDialog", u"&Code", None))
        self.code.setPlaceholderText(QCoreApplication.translate("ObjectiveDialog", u"attribu\u00e9 automatiquement si vide", None))
        self.titleLabel.setText(QCoreApplication.translate("ObjectiveDialog", u"&Intitul\u00e9 *", None))
        self.descriptionLabel.setText(QCoreApplication.translate("ObjectiveDialog", u"&Description", None))
    # retranslateUi

